import type { Customer, Incident, IncidentPatch, IncidentStatus, IncidentType, NewIncident, NewProspect, Prospect, TabName } from './records.ts';

export interface IncidentQuery {
  customerId?: string;
  phone?: string;
  type?: IncidentType;
  /** 'open' = abierto or en_proceso. */
  status?: IncidentStatus | 'open';
  zone?: string;
  /** ISO timestamp: only incidents created at or after it. */
  createdSince?: string;
}

/** A row problem found while reading or importing a tab; never fatal. */
export interface RowIssue {
  tab: TabName;
  /** 1-based row number as the sheet shows it (header = row 1). */
  row: number;
  message: string;
}

export interface ImportResult {
  imported: number;
  issues: RowIssue[];
}

/**
 * The Store port: the ISP's three tabs. Implemented by the local embedded store (SQLite) and
 * by Google Sheets. Reads may be cached by an adapter; writes are durable when the promise resolves.
 */
export interface Store {
  readonly kind: 'local' | 'sheets' | string;

  listCustomers(): Promise<Customer[]>;
  getCustomer(id: string): Promise<Customer | undefined>;
  /** `phone` in any form; the adapter normalises it (52 1 55… and 52 55… are the same). */
  findCustomerByPhone(phone: string): Promise<Customer | undefined>;
  findCustomerByTelegramId(telegramId: string): Promise<Customer | undefined>;
  /** Insert or replace by id (imports, demo data, linking a Telegram id). */
  upsertCustomers(customers: Customer[]): Promise<void>;

  listIncidents(query?: IncidentQuery): Promise<Incident[]>;
  getIncident(folio: string): Promise<Incident | undefined>;
  /** Assigns a unique folio that is never reused, and the timestamps. */
  createIncident(input: NewIncident): Promise<Incident>;
  updateIncident(folio: string, patch: IncidentPatch): Promise<Incident | undefined>;

  listProspects(): Promise<Prospect[]>;
  createProspect(input: NewProspect): Promise<Prospect>;

  /** Rows of a tab keyed by the canonical header text (see columns.ts), for export. */
  exportRows(tab: TabName): Promise<Record<string, string>[]>;
  /** Rows keyed by whatever headers a sheet has; header aliases are applied. Bad rows are reported, not fatal. */
  importRows(tab: TabName, rows: Record<string, string>[]): Promise<ImportResult>;
  /** Row problems met while reading (bad numbers, dates); empty for a clean store. */
  rowIssues(): Promise<RowIssue[]>;

  close(): Promise<void>;
}
