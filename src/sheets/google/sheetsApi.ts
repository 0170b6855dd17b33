/**
 * The Sheets API v4 calls we make, through the official client (@googleapis/sheets): each call
 * waits for the shared quota, has a timeout, and is retried by OUR loop (retry.ts) — the
 * library's own retries (gaxios retries GET/PUT on 429/5xx by default) are switched off with
 * `retry: false`, so the number and timing of attempts is ours alone. Answers are checked with zod.
 */
import { sheets as sheetsClient, type sheets_v4 } from '@googleapis/sheets';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { JwtClient } from './credentials.ts';
import type { QuotaLimiter, RequestKind } from './quotaLimiter.ts';
import { ClosedError, SheetsApiError, withRetries, type RetryPolicy } from './retry.ts';
import type { SheetsMetricsSink, SheetsRequestKind } from './sheetsMetrics.ts';

export type CellValue = string | number | null;

export interface TabInfo {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
}

export interface SpreadsheetInfo {
  title: string;
  tabs: TabInfo[];
}

export interface SheetsApi {
  spreadsheet(): Promise<SpreadsheetInfo>;
  /** Each range's rows as displayed (FORMATTED_VALUE), trailing empty cells omitted as Google does. */
  batchGet(ranges: string[]): Promise<string[][][]>;
  /** Appends rows below the table at `range` (RAW, INSERT_ROWS). Not repeated on an ambiguous failure. */
  append(range: string, rows: CellValue[][]): Promise<void>;
  /** Writes cells (RAW); `null` leaves a cell as it is. Safe to repeat. */
  batchUpdate(data: { range: string; values: CellValue[][] }[]): Promise<void>;
  /** spreadsheets.batchUpdate (addSheet, appendDimension…). */
  structural(requests: sheets_v4.Schema$Request[]): Promise<void>;
  /** Requests sent (attempts included), by kind. */
  readonly sent: Record<RequestKind, number>;
}

export interface SheetsApiOptions {
  spreadsheetId: string;
  jwt: JwtClient;
  /** SHEETS_API_ROOT (emulator, proxy); Google's when undefined. */
  rootUrl?: string;
  timeoutMs: number;
  limiter: QuotaLimiter;
  retry: RetryPolicy;
  logger: Logger;
  /** Aborts waits (quota, backoff) when the store closes. */
  signal?: AbortSignal;
  /** Counts each attempt by kind and outcome (Prometheus in server modes). */
  metrics?: SheetsMetricsSink;
}

const cell = z.union([z.string(), z.number(), z.boolean()]);
const spreadsheetSchema = z.object({
  properties: z.object({ title: z.string() }).partial().optional(),
  sheets: z
    .array(
      z.object({
        properties: z.object({
          sheetId: z.number(),
          title: z.string(),
          gridProperties: z.object({ rowCount: z.number(), columnCount: z.number() }).partial().optional(),
        }),
      }),
    )
    .default([]),
});
const batchGetSchema = z.object({ valueRanges: z.array(z.object({ values: z.array(z.array(cell)).optional() })).default([]) });

function checked<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const r = schema.safeParse(data);
  if (!r.success) throw new SheetsApiError(`unexpected answer to ${what}: ${r.error.issues[0]?.message ?? ''}`, 200, false, false);
  return r.data;
}

export function createSheetsApi(options: SheetsApiOptions): SheetsApi {
  const client = sheetsClient({
    version: 'v4',
    auth: options.jwt,
    ...(options.rootUrl ? { rootUrl: options.rootUrl.endsWith('/') ? options.rootUrl : `${options.rootUrl}/` } : {}),
    retry: false,
    timeout: options.timeoutMs,
  });
  const spreadsheetId = options.spreadsheetId;
  const sent: Record<RequestKind, number> = { read: 0, write: 0 };

  function call<T>(op: string, kind: RequestKind, repeatable: boolean, fn: () => Promise<T>): Promise<T> {
    const metrics = options.metrics;
    const counted: SheetsRequestKind = op === 'values.append' ? 'append' : kind;
    const attempts = withRetries(
      async () => {
        await options.limiter.acquire(kind, options.signal);
        sent[kind]++;
        return fn();
      },
      options.retry,
      {
        repeatable,
        ...(options.signal ? { signal: options.signal } : {}),
        onRetry: (err, attempt, delayMs) => {
          metrics?.request(counted, 'retry', err.status);
          options.logger.warn({ op, attempt, delayMs: Math.round(delayMs), error: err.message }, 'Sheets request failed; retrying');
        },
      },
    );
    if (!metrics) return attempts;
    return attempts.then(
      (value) => {
        metrics.request(counted, 'ok');
        return value;
      },
      (err: unknown) => {
        // Closing the store is not a request outcome: the last attempt was counted already (or none left).
        if (!(err instanceof ClosedError)) metrics.request(counted, 'error', err instanceof SheetsApiError ? err.status : undefined);
        throw err;
      },
    );
  }

  return {
    sent,
    async spreadsheet() {
      const res = await call('spreadsheets.get', 'read', true, () =>
        client.spreadsheets.get({ spreadsheetId, includeGridData: false, fields: 'properties.title,sheets.properties(sheetId,title,gridProperties(rowCount,columnCount))' }),
      );
      const data = checked(spreadsheetSchema, res.data, 'spreadsheets.get');
      return {
        title: data.properties?.title ?? '',
        tabs: data.sheets.map((s) => ({
          sheetId: s.properties.sheetId,
          title: s.properties.title,
          rowCount: s.properties.gridProperties?.rowCount ?? 0,
          columnCount: s.properties.gridProperties?.columnCount ?? 0,
        })),
      };
    },
    async batchGet(ranges) {
      const res = await call('values.batchGet', 'read', true, () =>
        client.spreadsheets.values.batchGet({ spreadsheetId, ranges, majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' }),
      );
      const data = checked(batchGetSchema, res.data, 'values.batchGet');
      return ranges.map((_, i) => (data.valueRanges[i]?.values ?? []).map((row) => row.map((c) => String(c))));
    },
    async append(range, rows) {
      await call('values.append', 'write', false, () =>
        client.spreadsheets.values.append({
          spreadsheetId,
          range,
          valueInputOption: 'RAW',
          insertDataOption: 'INSERT_ROWS',
          requestBody: { majorDimension: 'ROWS', values: rows },
        }),
      );
    },
    async batchUpdate(data) {
      if (data.length === 0) return;
      await call('values.batchUpdate', 'write', true, () =>
        client.spreadsheets.values.batchUpdate({
          spreadsheetId,
          requestBody: { valueInputOption: 'RAW', data: data.map((d) => ({ range: d.range, majorDimension: 'ROWS', values: d.values })) },
        }),
      );
    },
    async structural(requests) {
      if (requests.length === 0) return;
      await call('spreadsheets.batchUpdate', 'write', false, () => client.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
    },
  };
}
