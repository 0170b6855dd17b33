import type { FunctionCall } from '@google/genai';
import type { Logger } from 'pino';
import { ForbiddenError } from '../../domain/errors.ts';
import { findTool, type ToolContext, type ToolResult } from '../tools/index.ts';

/**
 * One function call from the model: the tool is found by name, its arguments are validated with
 * the tool's zod schema BEFORE anything runs, and the handler (which checks the role itself) runs.
 * Every problem comes back as the function response, so the model can correct itself; nothing
 * is written for an unknown tool, invalid arguments or a refused role.
 */
export type CallOutcome = 'ok' | 'unknown_tool' | 'invalid_arguments' | 'forbidden' | 'failed';

export interface CallResult {
  outcome: CallOutcome;
  /** The function response sent back to the model. */
  response: Record<string, unknown>;
  /** The handler's result, when it ran. */
  result?: ToolResult;
}

export async function runToolCall(call: FunctionCall, ctx: ToolContext, log: Logger): Promise<CallResult> {
  const name = call.name ?? '';
  const tool = findTool(name);
  if (!tool) {
    log.warn({ tool: name.slice(0, 64) }, 'gemini called an unknown tool');
    return { outcome: 'unknown_tool', response: { error: 'unknown_tool', detail: `No existe la herramienta "${name.slice(0, 64)}".` } };
  }
  const parsed = tool.declaration.schema.safeParse(call.args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    log.info({ tool: name, issues: issues.map((i) => `${i.path}: ${i.message}`) }, 'gemini tool arguments rejected');
    return { outcome: 'invalid_arguments', response: { error: 'invalid_arguments', issues } };
  }
  try {
    const result = await tool.handler(parsed.data, ctx);
    return { outcome: 'ok', response: result.response, result };
  } catch (err) {
    if (err instanceof ForbiddenError) {
      log.warn({ tool: name, role: ctx.actor.role }, 'gemini tool refused for this role');
      return { outcome: 'forbidden', response: { error: 'forbidden', detail: 'Esta herramienta no está disponible para quien escribe.' } };
    }
    log.error({ err, tool: name }, 'gemini tool failed');
    return { outcome: 'failed', response: { error: 'failed', detail: 'La operación falló. Discúlpate y ofrece hablar con una persona.' } };
  }
}
