import type { Role } from '../../core/types.ts';
import { handleCreateFallaTicket, handleGetMyService, handleGetMyTickets } from './customerHandlers.ts';
import { TOOL_DECLARATIONS } from './declarations.ts';
import { handleCheckCoverage, handleGetPaymentInfo, handleGetPlans, handleRequestPerson, handleStartRegistration } from './publicHandlers.ts';
import { handleGetFinanceSummary, handleGetStats, handleSearchCustomers } from './staffHandlers.ts';
import type { HandlerOf, ToolDeclaration, ToolHandler } from './types.ts';

export type { ToolContext, ToolDeclaration, ToolResult } from './types.ts';
export { TOOL_DECLARATIONS, type ToolName } from './declarations.ts';

type Declarations = (typeof TOOL_DECLARATIONS)[number];

/** One handler per declared tool, typed by that tool's schema (a missing or extra handler does not compile). */
const HANDLERS: { [D in Declarations as D['name']]: HandlerOf<D> } = {
  get_plans: handleGetPlans,
  get_payment_info: handleGetPaymentInfo,
  check_coverage: handleCheckCoverage,
  start_registration: handleStartRegistration,
  request_person: handleRequestPerson,
  get_my_service: handleGetMyService,
  get_my_tickets: handleGetMyTickets,
  create_falla_ticket: handleCreateFallaTicket,
  get_stats: handleGetStats,
  search_customers: handleSearchCustomers,
  get_finance_summary: handleGetFinanceSummary,
};

export interface Tool {
  declaration: ToolDeclaration;
  /** Receives arguments already validated by `declaration.schema`. */
  handler: ToolHandler<unknown>;
}

const TOOLS: ReadonlyMap<string, Tool> = new Map(
  TOOL_DECLARATIONS.map((d) => [d.name, { declaration: d, handler: HANDLERS[d.name] as ToolHandler<unknown> }]),
);

/** Every tool by name, whoever may use it (handlers check the role themselves). */
export const findTool = (name: string): Tool | undefined => TOOLS.get(name);

/** The tools offered to a role. */
export const toolsFor = (role: Role): ToolDeclaration[] => TOOL_DECLARATIONS.filter((d) => (d.roles as readonly Role[]).includes(role));
