/** Alerts for the ISP's staff. Channels deliver them (Telegram staff chats, WhatsApp numbers, the log). */
export type StaffAlertKind = 'prospecto' | 'falla_alta' | 'falla_masiva' | 'humano' | 'cancelacion' | 'retencion' | 'pago' | 'cambio_plan';

export interface StaffAlert {
  kind: StaffAlertKind;
  /** Ready-to-send es-MX text from the message catalogue. */
  text: string;
  /** Folio or prospect id the alert is about. */
  ref?: string;
  at: string;
}

export interface Notifier {
  notifyStaff(alert: StaffAlert): Promise<void>;
}

/** Keeps the latest alerts in memory (tests, inspection) and forwards them to `next`. */
export function createRecordingNotifier(next?: Notifier, keep = 200): Notifier & { alerts: StaffAlert[] } {
  const alerts: StaffAlert[] = [];
  return {
    alerts,
    async notifyStaff(alert) {
      alerts.push(alert);
      if (alerts.length > keep) alerts.splice(0, alerts.length - keep);
      await next?.notifyStaff(alert);
    },
  };
}

/**
 * Fans an alert out to several notifiers. Never rejects: an alert channel that fails is reported
 * to `onError` and must not fail the customer's turn (the ticket is already written).
 */
export function combineNotifiers(notifiers: readonly Notifier[], onError: (err: unknown, alert: StaffAlert) => void): Notifier {
  return {
    async notifyStaff(alert) {
      const results = await Promise.allSettled(notifiers.map((n) => n.notifyStaff(alert)));
      for (const r of results) if (r.status === 'rejected') onError(r.reason, alert);
    },
  };
}
