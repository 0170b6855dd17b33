import { z } from 'zod';
import { FALLA_CATEGORIES } from '../../domain/incidents.ts';
import type { FallaCategory } from '../../sheets/records.ts';
import { declare } from './types.ts';

/**
 * Every tool the agent offers, declared once: name, description for the model, zod schema of
 * the arguments (the function declarations are generated from it), and the roles it is offered
 * to. Handlers live apart (publicHandlers.ts, customerHandlers.ts, staffHandlers.ts).
 * No tool takes a customer id or phone: a customer's tools read the actor's own rows only.
 */

const EVERYONE = ['customer', 'prospect', 'staff'] as const;
const PEOPLE = ['customer', 'prospect'] as const;
const CUSTOMER = ['customer'] as const;
const STAFF = ['staff'] as const;

const zoneFilter = z.string().trim().min(1).max(60).optional().describe('Solo esta zona (nombre como lo dijo la persona); omítelo para todas.');

export const getPlans = declare({
  name: 'get_plans',
  description: 'Planes de internet con velocidad y precio mensual. Única fuente de precios: úsala antes de mencionar cualquier precio o plan.',
  schema: z.object({}),
  roles: EVERYONE,
});

export const getPaymentInfo = declare({
  name: 'get_payment_info',
  description: 'Formas de pago y datos bancarios para pagar la mensualidad.',
  schema: z.object({}),
  roles: PEOPLE,
});

export const checkCoverageTool = declare({
  name: 'check_coverage',
  description: 'Dice si hay cobertura en una colonia, zona o lugar. Única fuente de cobertura.',
  schema: z.object({
    place: z.string().trim().min(2).max(80).describe('La colonia, zona o lugar tal como lo escribió la persona.'),
  }),
  roles: EVERYONE,
});

export const startRegistration = declare({
  name: 'start_registration',
  description:
    'Inicia la contratación de internet: el asistente pide nombre, zona, plan y teléfono y registra la solicitud. Úsala cuando la persona quiere contratar.',
  schema: z.object({
    zone: z.string().trim().min(1).max(60).optional().describe('La zona o colonia si la persona ya la dijo.'),
    planMbps: z.number().int().positive().max(10_000).optional().describe('La velocidad del plan (Mbps) si la persona ya la eligió.'),
  }),
  roles: PEOPLE,
});

export const requestPerson = declare({
  name: 'request_person',
  description: 'Pasa la conversación a una persona del equipo (crea un ticket y avisa). Úsala si la persona lo pide, está muy molesta o no puedes ayudarle.',
  schema: z.object({}),
  roles: PEOPLE,
});

export const getMyService = declare({
  name: 'get_my_service',
  description: 'El servicio del cliente que escribe: plan, precio, estado, fecha de pago, adeudo y reportes abiertos. Solo sus propios datos.',
  schema: z.object({}),
  roles: CUSTOMER,
});

export const getMyTickets = declare({
  name: 'get_my_tickets',
  description: 'Los reportes abiertos del cliente que escribe (folio, tipo, estado, prioridad).',
  schema: z.object({}),
  roles: CUSTOMER,
});

export const createFallaTicket = declare({
  name: 'create_falla_ticket',
  description:
    'Registra un reporte de falla del servicio de quien escribe y devuelve el folio, la prioridad y el tiempo de respuesta. ' +
    'Si ya tiene un reporte de falla abierto, agrega la descripción a ese reporte, salvo que sea un problema nuevo (newProblem=true). ' +
    'Si quien escribe no es un cliente identificado, el asistente le pide su número para levantar el reporte.',
  schema: z.object({
    category: z
      .enum(FALLA_CATEGORIES as [FallaCategory, ...FallaCategory[]])
      .describe('sin_internet: no hay servicio; lento: baja velocidad; intermitente: se corta y regresa; otro: cualquier otra cosa.'),
    description: z.string().trim().min(3).max(500).describe('Lo que dijo la persona, en sus palabras.'),
    sinceHours: z.number().min(0).max(24 * 90).optional().describe('Hace cuántas horas empezó, si lo dijo.'),
    newProblem: z.boolean().optional().describe('true si la persona dice que es un problema distinto al de su reporte abierto.'),
  }),
  roles: PEOPLE,
});

export const getStatsTool = declare({
  name: 'get_stats',
  description: 'Solo personal: clientes por estado, zona y plan; reportes abiertos por tipo y prioridad; prospectos recientes.',
  schema: z.object({ zone: zoneFilter }),
  roles: STAFF,
});

export const searchCustomersTool = declare({
  name: 'search_customers',
  description: 'Solo personal: busca clientes por nombre (tolera errores), teléfono (o sus últimos dígitos) o zona. 5 por página.',
  schema: z.object({
    query: z.string().trim().min(2).max(80).describe('Nombre, teléfono o zona.'),
    offset: z.number().int().min(0).max(10_000).optional().describe('Para la siguiente página: el nextOffset de la respuesta anterior.'),
  }),
  roles: STAFF,
});

export const getFinanceSummaryTool = declare({
  name: 'get_finance_summary',
  description: 'Solo personal: ingreso mensual, ticket promedio, ingresos por plan y zona, adeudos vencidos y hallazgos.',
  schema: z.object({ zone: zoneFilter }),
  roles: STAFF,
});

export const TOOL_DECLARATIONS = [
  getPlans,
  getPaymentInfo,
  checkCoverageTool,
  startRegistration,
  requestPerson,
  getMyService,
  getMyTickets,
  createFallaTicket,
  getStatsTool,
  searchCustomersTool,
  getFinanceSummaryTool,
] as const;

export type ToolName = (typeof TOOL_DECLARATIONS)[number]['name'];
