/** Public contract of the offline es-MX NLU (re-exported by ./index.ts). */
export const INTENTS = [
  'saludo',
  'despedida',
  'ayuda',
  'registro',
  'planes',
  'cobertura',
  'falla',
  'estado_reporte',
  'mi_servicio',
  'pago',
  'cambio_plan',
  'cancelacion',
  'humano',
  'estadisticas',
  'buscar_cliente',
  'finanzas',
  'fuera_de_alcance',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface NluEntities {
  /** A configured zone NAME (e.g. 'Norte'), found via the zone name or one of its aliases. */
  zona?: string;
  /** A place the user named that is NOT a configured zone, lowercased and without accents. */
  area?: string;
  /** A configured plan speed the user mentioned ("50 megas", "el de 20", "plan de cincuenta"). */
  plan_mbps?: number;
  /** A phone number as written (10+ digits; spaces, dashes, dots and a leading + allowed). */
  phone?: string;
  /** Ticket folio in canonical form 'F-' + 6 digits. */
  folio?: string;
  /** How long ago something started ("desde ayer" → 24 h). */
  since?: { text: string; hoursAgo: number };
}

export interface NluResult {
  text: string;
  intent: Intent;
  confidence: number;
  entities: NluEntities;
}

export interface Nlu {
  classify(text: string): NluResult;
}

export interface NluOptions {
  zones: { name: string; aliases: string[] }[];
  outsideCoverage: string[];
  plansMbps: number[];
  /**
   * Optional clock for weekday/time-of-day durations ("desde el lunes", "desde la mañana").
   * Without it those use fixed estimates, so classify() stays a pure function of its input.
   */
  clock?: { now: () => number; timeZone?: string };
}

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}
