import { z } from 'zod';

/**
 * The generateContent request body as the Gemini REST API documents it (v1beta, camelCase JSON):
 * https://ai.google.dev/api/generate-content#request-body — with the rules the API enforces that
 * a client can get wrong: function names, `parameters` xor `parametersJsonSchema`, and a function
 * response turn right after the model turn that made those calls.
 */
const functionCall = z.object({ name: z.string().min(1), args: z.record(z.string(), z.unknown()).optional(), id: z.string().optional() });
const functionResponse = z.object({ name: z.string().min(1), response: z.record(z.string(), z.unknown()), id: z.string().optional() });

const part = z
  .object({
    text: z.string().optional(),
    functionCall: functionCall.optional(),
    functionResponse: functionResponse.optional(),
    inlineData: z.object({ mimeType: z.string(), data: z.string() }).optional(),
    thought: z.boolean().optional(),
    thoughtSignature: z.string().optional(),
  })
  .strict()
  .refine((p) => [p.text, p.functionCall, p.functionResponse, p.inlineData].filter((x) => x !== undefined).length === 1, {
    message: 'a part holds exactly one of text, functionCall, functionResponse, inlineData',
  });

const content = z.object({ role: z.enum(['user', 'model']).optional(), parts: z.array(part).min(1) }).strict();

const functionDeclaration = z
  .object({
    name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}$/, 'invalid function name'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    parametersJsonSchema: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((d) => !(d.parameters && d.parametersJsonSchema), { message: 'parameters and parametersJsonSchema are mutually exclusive' })
  .refine((d) => !d.parametersJsonSchema || d.parametersJsonSchema.type === 'object', { message: 'parametersJsonSchema must describe an object' });

export const generateContentBody = z
  .object({
    contents: z.array(content).min(1),
    systemInstruction: z.object({ role: z.string().optional(), parts: z.array(part).min(1) }).optional(),
    tools: z.array(z.object({ functionDeclarations: z.array(functionDeclaration).optional() }).strict()).optional(),
    toolConfig: z
      .object({
        functionCallingConfig: z
          .object({ mode: z.enum(['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED']).optional(), allowedFunctionNames: z.array(z.string()).optional() })
          .optional(),
      })
      .optional(),
    generationConfig: z
      .object({
        temperature: z.number().min(0).max(2).optional(),
        maxOutputTokens: z.number().int().positive().optional(),
        candidateCount: z.number().int().min(1).max(8).optional(),
        topP: z.number().optional(),
        topK: z.number().optional(),
        thinkingConfig: z.object({ thinkingBudget: z.number().int().optional(), includeThoughts: z.boolean().optional() }).optional(),
      })
      .strict()
      .optional(),
    safetySettings: z.array(z.unknown()).optional(),
  })
  .strict();

export type GenerateContentBody = z.infer<typeof generateContentBody>;
export type WireContent = z.infer<typeof content>;

export function validateGenerateContent(body: unknown): { ok: true; body: GenerateContentBody } | { ok: false; reason: string } {
  const parsed = generateContentBody.safeParse(body);
  if (!parsed.success) return { ok: false, reason: `Invalid JSON payload: ${z.prettifyError(parsed.error)}` };
  const { contents } = parsed.data;
  for (let i = 0; i < contents.length; i++) {
    const responses = contents[i]!.parts.filter((p) => p.functionResponse);
    if (!responses.length) continue;
    const previous = contents[i - 1];
    const calls = previous?.role === 'model' ? previous.parts.filter((p) => p.functionCall) : [];
    const callNames = calls.map((p) => p.functionCall!.name).sort().join(',');
    const responseNames = responses.map((p) => p.functionResponse!.name).sort().join(',');
    if (!calls.length || callNames !== responseNames) {
      return {
        ok: false,
        reason:
          'Please ensure that function response turn comes immediately after a function call turn. And the number of function response parts should be equal to number of function call parts of the function call turn.',
      };
    }
  }
  return { ok: true, body: parsed.data };
}
