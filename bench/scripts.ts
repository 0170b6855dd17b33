/** The realistic conversation mix every bench section replays: sign-ups, outage reports, payments, questions, staff. */
export interface BenchScript {
  phone?: boolean;
  staff?: boolean;
  lines: string[];
}

export const SCRIPTS: readonly BenchScript[] = [
  { lines: ['hola', 'quiero contratar 50 megas en la zona norte', 'si', '5512345678', '#button confirm'] },
  { phone: true, lines: ['no tengo internet desde ayer', '#button yes', 'menu'] },
  { phone: true, lines: ['cuanto debo', 'ya pague', 'omitir'] },
  { lines: ['que planes tienen', 'llegan a las flores?', 'gracias'] },
  { phone: true, lines: ['como va mi reporte', 'que plan tengo', 'quiero hablar con alguien'] },
  { staff: true, lines: ['cuantos clientes hay', 'busca a maria hernandez', 'cuanto facturamos'] },
];
