/**
 * The rows of the three tabs of the ISP's sheet, as the rest of the code sees them.
 * Field names are code identifiers; the headers they map to live in `columns.ts`.
 */
export type TabName = 'Clientes' | 'Incidentes' | 'Prospectos';
export const TAB_NAMES: readonly TabName[] = ['Clientes', 'Incidentes', 'Prospectos'];

export type CustomerStatus = 'activo' | 'suspendido' | 'cancelado';
export type IncidentType = 'falla' | 'pago' | 'cambio_plan' | 'cancelacion' | 'retencion' | 'humano';
export type FallaCategory = 'sin_internet' | 'lento' | 'intermitente' | 'otro';
export type IncidentStatus = 'abierto' | 'en_proceso' | 'cerrado';
export type Priority = 'alta' | 'media' | 'baja';
export type ProspectStatus = 'nuevo' | 'lista_espera' | 'contactado' | 'instalado' | 'descartado';

export interface Customer {
  id: string;
  name: string;
  /** Normalised digits (see core/phone.ts), e.g. 525512345678. */
  phone: string;
  zone: string;
  colonia?: string;
  planMbps?: number;
  /** Monthly price; the plan's price from config when the sheet leaves it empty. */
  price?: number;
  status: CustomerStatus;
  /** ISO date (YYYY-MM-DD). */
  signupDate?: string;
  /** ISO date (YYYY-MM-DD) of the next payment. */
  dueDate?: string;
  /** Amount owed now, MXN. */
  balance?: number;
  telegramId?: string;
  notes?: string;
  /** Churn risk 0–1 written by `launcher outreach train` (column `Riesgo`). */
  churnScore?: number;
}

export interface Incident {
  /** Unique, never reused. */
  folio: string;
  /** ISO timestamp. */
  createdAt: string;
  updatedAt: string;
  type: IncidentType;
  status: IncidentStatus;
  priority: Priority;
  customerId?: string;
  name?: string;
  phone?: string;
  zone?: string;
  category?: FallaCategory;
  /** ISO timestamp of when the problem started, if the customer said. */
  since?: string;
  description?: string;
  channel?: string;
  notes?: string;
}

export interface Prospect {
  id: string;
  createdAt: string;
  name: string;
  phone: string;
  zone?: string;
  colonia?: string;
  planMbps?: number;
  price?: number;
  channel?: string;
  status: ProspectStatus;
  notes?: string;
}

export type NewIncident = Omit<Incident, 'folio' | 'createdAt' | 'updatedAt' | 'status'> & { status?: IncidentStatus };
export type NewProspect = Omit<Prospect, 'id' | 'createdAt' | 'status'> & { status?: ProspectStatus };
export type IncidentPatch = Partial<Pick<Incident, 'status' | 'priority' | 'notes' | 'description'>>;
