import type { z } from 'zod';
import type { Actor, ChannelName, Reply, Role } from '../../core/types.ts';
import { ForbiddenError } from '../../domain/errors.ts';
import type { FlowDeps } from '../../flows/flow.ts';

/**
 * The agent's tools: each one is a declaration (name, description, zod schema of its arguments,
 * roles it is offered to) kept apart from its handler, which calls the same domain operations
 * the flows use. A model (Gemini) sees the declarations; only handlers touch data.
 */
export interface ToolDeclaration<S extends z.ZodObject = z.ZodObject, N extends string = string> {
  /** Stable, snake_case (Gemini function names: letters, digits, `_`). */
  name: N;
  /** For the model: what it does and when to use it (es-MX). */
  description: string;
  schema: S;
  /** Who the tool is offered to; its handler checks again. */
  roles: readonly Role[];
}

/** What a handler may use: the flows' dependencies and who is writing. Never anything the user typed about identity. */
export interface ToolContext {
  deps: FlowDeps;
  actor: Actor;
  channel: ChannelName;
  profileName?: string;
  now: Date;
}

export interface ToolResult {
  /** What the model reads back (JSON, compact). */
  response: Record<string, unknown>;
  /** A ready es-MX reply for the person, used when the model cannot word one (e.g. it fails after a write). */
  reply?: Reply;
  /** Hand the conversation to this flow; its `start` answers the turn. */
  startFlow?: { flow: string; slots?: Record<string, unknown> };
}

export type ToolHandler<A> = (args: A, ctx: ToolContext) => Promise<ToolResult>;

/** The first thing every handler does: the actor's role, whatever offered or routed the call. */
export function requireRole(ctx: ToolContext, tool: Pick<ToolDeclaration, 'name' | 'roles'>): void {
  if (!tool.roles.includes(ctx.actor.role)) throw new ForbiddenError(`${tool.name} is not for ${ctx.actor.role} (actor ${ctx.actor.key})`);
}

/** The handler type of a declaration: its arguments as the zod schema outputs them. */
export type HandlerOf<D extends { schema: z.ZodObject }> = ToolHandler<z.output<D['schema']>>;

export const declare = <S extends z.ZodObject, N extends string>(d: ToolDeclaration<S, N>): ToolDeclaration<S, N> => d;
