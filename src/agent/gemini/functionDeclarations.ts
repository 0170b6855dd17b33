import type { FunctionDeclaration } from '@google/genai';
import { z } from 'zod';
import type { Role } from '../../core/types.ts';
import { toolsFor, type ToolDeclaration } from '../tools/index.ts';

/**
 * Gemini function declarations generated from the tools' zod schemas (`z.toJSONSchema`, sent as
 * `parametersJsonSchema`), so the arguments the model is told about are exactly the ones the
 * handlers validate. A tool without arguments is declared without parameters.
 */
export function toFunctionDeclaration(tool: ToolDeclaration): FunctionDeclaration {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(tool.schema, { io: 'input' }) as Record<string, unknown>;
  const properties = schema.properties as Record<string, unknown> | undefined;
  const hasArguments = properties !== undefined && Object.keys(properties).length > 0;
  return { name: tool.name, description: tool.description, ...(hasArguments ? { parametersJsonSchema: schema } : {}) };
}

const byRole = new Map<Role, FunctionDeclaration[]>();

/** The declarations offered to a role (computed once per role). */
export function declarationsFor(role: Role): FunctionDeclaration[] {
  let declarations = byRole.get(role);
  if (!declarations) {
    declarations = toolsFor(role).map(toFunctionDeclaration);
    byRole.set(role, declarations);
  }
  return declarations;
}
