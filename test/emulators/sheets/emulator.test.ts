/** The emulator itself behaves as the Sheets API documents (A1 ranges, append's table search, RAW vs USER_ENTERED, auth). */
import { describe, expect, it } from 'vitest';
import { parseRange } from './a1.ts';
import { Spreadsheet } from './grid.ts';
import { makeServiceAccount } from './auth.ts';
import { startSheetsEmulator } from './server.ts';

describe('Sheets emulator', () => {
  it('parses A1 ranges', () => {
    const t = ['Hoja 1', "It's"];
    expect(parseRange("'Hoja 1'!B2:C5", t)).toEqual({ sheet: 'Hoja 1', startRow: 1, endRow: 5, startCol: 1, endCol: 3 });
    expect(parseRange("'It''s'!A:A", t)).toMatchObject({ sheet: "It's", startCol: 0, endCol: 1, endRow: Infinity });
    expect(parseRange("'Hoja 1'!1:1", t)).toMatchObject({ startRow: 0, endRow: 1, endCol: Infinity });
    expect(parseRange("'Hoja 1'", t)).toMatchObject({ startRow: 0, endRow: Infinity });
    expect(() => parseRange('Nope!A1', t)).toThrow(/Unable to parse range/);
  });

  it('appends after the table, inserting rows; RAW keeps text, USER_ENTERED parses it', () => {
    const s = new Spreadsheet('x');
    s.addSheet('T', [['a', 'b'], ['1', '2'], [], ['otra', 'tabla']]);
    const r = s.append("'T'!A1", [['=1+1', '7']], 'RAW', 'INSERT_ROWS');
    expect(r.updates.updatedRange).toBe('T!A3:B3');
    expect(s.text('T')).toEqual([['a', 'b'], ['1', '2'], ['=1+1', '7'], [], ['otra', 'tabla']]);
    s.write("'T'!A4", [['=1+1']], 'USER_ENTERED');
    expect(s.sheet('T').rows[3]?.[0]).toEqual({ formula: '=1+1' });
    expect(s.read("'T'!A4", { valueRenderOption: 'FORMULA' }).values).toEqual([['=1+1']]);
  });

  it('rejects requests without a valid Bearer token', async () => {
    const emulator = await startSheetsEmulator();
    const account = makeServiceAccount();
    const other = makeServiceAccount('intruso');
    emulator.addServiceAccount(account.json.client_email, account.publicKey);
    emulator.create('s1', { T: [['a']] });
    const res = await fetch(`${emulator.url}/v4/spreadsheets/s1`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
    // A token signed by a key the emulator does not know.
    const forged = `${Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: account.json.client_email, sub: account.json.client_email })).toString('base64url')}.c2ln`;
    expect((await fetch(`${emulator.url}/v4/spreadsheets/s1`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect(other.json.client_email).not.toBe(account.json.client_email);
    await emulator.close();
  });
});
