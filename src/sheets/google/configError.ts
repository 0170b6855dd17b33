/** The Google Sheets settings (GOOGLE_SHEETS_ID, the service-account key) cannot be used as given. */
export class SheetsConfigError extends Error {
  override readonly name = 'SheetsConfigError';
}
