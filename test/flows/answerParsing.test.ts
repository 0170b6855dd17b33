import { describe, expect, it } from 'vitest';
import {
  asksPaymentMethods,
  isAlreadySaid,
  isWifiSetupQuestion,
  mentionsRestarted,
  parseCategory,
  paymentDetails,
  saysServiceBack,
} from '../../src/flows/answerParsing.ts';

describe('answer readings found by the product tester', () => {
  it('mentionsRestarted: restarts told in many ways, not their negation', () => {
    for (const t of ['ya desconecte el modem y lo volvi a conectar y sigue igual', 'ya le movi al modem y le desconecte y nada', 'ya lo reinicie', 'ya lo reinicié dos veces', 'ya lo hice']) {
      expect(mentionsRestarted(t), t).toBe(true);
    }
    for (const t of ['no lo he reiniciado', 'no tengo internet', 'ya hice el pago pero sigo sin internet', 'no lo reinicié']) {
      expect(mentionsRestarted(t), t).toBe(false);
    }
  });

  it('paymentDetails: amount and reference from a "ya pagué" message', () => {
    expect(paymentDetails('ya hice el pago de 450 por transferencia hoy, referencia 88213')).toEqual({ amount: 450, reference: '88213' });
    expect(paymentDetails('transferencia ref 998877 por $450')).toEqual({ amount: 450, reference: '998877' });
    expect(paymentDetails('ya pagué $1,200.50 en OXXO')).toEqual({ amount: 1200.5 });
    expect(paymentDetails('No. de operación 8837261')).toEqual({ reference: '8837261' });
    expect(paymentDetails('ya pagué')).toEqual({});
    expect(paymentDetails('ya te lo dije arriba')).toEqual({});
  });

  it('isAlreadySaid: "ya te lo dije arriba" and friends', () => {
    for (const t of ['ya te lo dije arriba', 'ya lo puse', 'te lo escribí arriba', 'está arriba']) expect(isAlreadySaid(t), t).toBe(true);
    expect(isAlreadySaid('referencia 88213')).toBe(false);
  });

  it('asksPaymentMethods: how to pay, not how much', () => {
    for (const t of ['como pago', 'a que cuenta deposito', 'formas de pago', 'me pasas la clabe']) expect(asksPaymentMethods(t), t).toBe(true);
    for (const t of ['cuanto debo?', 'mi saldo']) expect(asksPaymentMethods(t), t).toBe(false);
  });

  it('isWifiSetupQuestion: wifi name/password, not an outage', () => {
    expect(isWifiSetupQuestion('como le cambio el nombre a mi red wifi')).toBe(true);
    expect(isWifiSetupQuestion('cual es la contraseña del wifi')).toBe(true);
    expect(isWifiSetupQuestion('no tengo internet y no se la contraseña del wifi')).toBe(false);
    expect(isWifiSetupQuestion('el wifi esta lento')).toBe(false);
  });

  it('saysServiceBack: the problem went away', () => {
    for (const t of ['ya regreso el internet, gracias', 'ya se arregló', 'ya quedó el servicio, gracias', 'ya volvió la señal']) expect(saysServiceBack(t), t).toBe(true);
    for (const t of ['ya no hay internet', 'ya quedo el pago', 'ya tengo un reporte', 'no tengo internet']) expect(saysServiceBack(t), t).toBe(false);
  });

  it('parseCategory: "me cortaron el internet" is no internet', () => {
    expect(parseCategory('me cortaron el internet')).toBe('sin_internet');
  });
});
