import { describe, expect, it } from 'vitest';
import { accountLabel, reporterIdentity, reporterNote, reporterOf, unverifiedSender } from '../../src/domain/reporter.ts';
import type { Incident } from '../../src/sheets/records.ts';
import { customer } from '../support/harness.ts';
import { domainDeps } from './domainDeps.ts';

const { msg } = domainDeps();
const ana = customer({ id: 'C-0001', name: 'Ana López', phone: '525512345678' });
const row = (over: Partial<Incident>): Incident => ({ folio: 'F-000001', createdAt: '', updatedAt: '', type: 'falla', status: 'abierto', priority: 'media', ...over });

describe('reporter', () => {
  it('keeps the phone only when the channel vouched for it, and the reference only when unverified', () => {
    expect(reporterOf({ role: 'customer', key: 'whatsapp:521', phone: '52155', customerId: 'C-1' }, true, 'x')).toEqual({ key: 'whatsapp:521', phone: '52155', verified: true });
    expect(reporterOf({ role: 'prospect', key: 'console:x' }, false, 'C-0001')).toEqual({ key: 'console:x', verified: false, reference: 'C-0001' });
  });

  it('writes a note staff can read and the count can read back', () => {
    const typed = reporterNote(msg, { key: 'telegram:42', verified: false, reference: 'mi numero C-0001 (creo)' });
    expect(typed).toMatch(/telegram:42.*SIN VERIFICAR.*C-0001/);
    expect(unverifiedSender(msg, { notes: `${typed}\n[2026-03-10 16:00] otra nota` })).toBe('telegram:42');
    const own = reporterNote(msg, { key: 'whatsapp:5215512345678', phone: '525512345678', verified: true });
    expect(unverifiedSender(msg, { notes: own })).toBeUndefined();
    expect(reporterNote(msg, { key: 'console:p', verified: false })).toMatch(/sin cuenta identificada/);
  });

  it('counts a verified ticket by customer and an unverified one by its sender', () => {
    const typed = reporterNote(msg, { key: 'console:troll', verified: false, reference: 'C-0001' });
    expect(reporterIdentity(msg, row({ customerId: 'C-0001', notes: typed }))).toBe('sender:console:troll');
    expect(reporterIdentity(msg, row({ customerId: 'C-0001', notes: reporterNote(msg, { key: 'console:ana', verified: true }) }))).toBe('customer:C-0001');
    expect(reporterIdentity(msg, row({ customerId: 'C-0002' }))).toBe('customer:C-0002');
    expect(reporterIdentity(msg, row({}))).toBe('folio:F-000001');
  });

  it('names the account for staff, saying when it was not verified', () => {
    expect(accountLabel(msg, ana, { key: 'k', verified: true })).toBe('Ana López (C-0001)');
    expect(accountLabel(msg, ana, { key: 'k', verified: false, reference: 'C-0001' })).toMatch(/Ana López \(C-0001\) SIN VERIFICAR.*«C-0001»/);
    expect(accountLabel(msg, undefined, { key: 'k', verified: false, reference: '55 9999' })).toMatch(/no encontrada.*«55 9999»/);
  });
});
