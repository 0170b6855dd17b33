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

/** Keeps alerts in memory (tests, `launcher chat --json` inspection) and forwards them to `next`. */
export function createRecordingNotifier(next?: Notifier): Notifier & { alerts: StaffAlert[] } {
  const alerts: StaffAlert[] = [];
  return {
    alerts,
    async notifyStaff(alert) {
      alerts.push(alert);
      await next?.notifyStaff(alert);
    },
  };
}

/** Fans an alert out to several notifiers; one failing does not stop the others. */
export function combineNotifiers(notifiers: Notifier[], onError: (err: unknown) => void): Notifier {
  return {
    async notifyStaff(alert) {
      const results = await Promise.allSettled(notifiers.map((n) => n.notifyStaff(alert)));
      for (const r of results) if (r.status === 'rejected') onError(r.reason);
    },
  };
}
