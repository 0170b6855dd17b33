import type { Content, FunctionDeclaration, Part } from '@google/genai';
import type { Logger } from 'pino';
import type { ToolContext, ToolResult } from '../tools/index.ts';
import type { ModelClient } from './client.ts';
import { classifyError, GeminiError, type Failure } from './errors.ts';
import { runToolCall } from './toolCalls.ts';
import type { TurnUsage } from './usage.ts';

/**
 * One Gemini turn: the model answers, or calls tools whose results go back to it, until it
 * answers with text, hands the conversation to a flow, or a limit is reached — at most
 * `maxToolCalls` tool calls (then one last request with function calling off), `maxTokens`
 * tokens in + out over all requests, and the deadline for everything, retries included.
 */
export interface TurnRequest {
  userText: string;
  /** Remembered contents of earlier turns. */
  history: Content[];
  systemInstruction: string;
  functionDeclarations: FunctionDeclaration[];
  tool: ToolContext;
  limits: { maxToolCalls: number; maxTokens: number; deadline: number };
}

interface TurnBase {
  /** This turn's contents (the user's message first), for memory. */
  contents: Content[];
  /** Handler results of the tools that ran. */
  results: ToolResult[];
  usage: TurnUsage;
}

export type TurnOutcome =
  | (TurnBase & { kind: 'answer'; text: string })
  | (TurnBase & { kind: 'handoff'; flow: string; slots?: Record<string, unknown> })
  | (TurnBase & { kind: 'failed'; failure: Failure });

const usageOf = (metadata: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; toolUsePromptTokenCount?: number } | undefined) => ({
  in: (metadata?.promptTokenCount ?? 0) + (metadata?.toolUsePromptTokenCount ?? 0),
  out: (metadata?.candidatesTokenCount ?? 0) + (metadata?.thoughtsTokenCount ?? 0),
});

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A malformed call (arguments that are not an object) is echoed back with `{}`: the API refuses anything else in history. */
const echoable = (part: Part): Part =>
  part.functionCall && part.functionCall.args !== undefined && !isPlainObject(part.functionCall.args) ? { ...part, functionCall: { ...part.functionCall, args: {} } } : part;

export async function runGeminiTurn(client: ModelClient, req: TurnRequest, log: Logger): Promise<TurnOutcome> {
  const { limits } = req;
  const contents: Content[] = [{ role: 'user', parts: [{ text: req.userText }] }];
  const results: ToolResult[] = [];
  const usage: TurnUsage = { requests: 0, retries: 0, toolCalls: 0, toolErrors: 0, tokensIn: 0, tokensOut: 0 };
  const base = (): TurnBase => ({ contents, results, usage });
  const failed = (failure: Failure): TurnOutcome => ({ ...base(), kind: 'failed', failure });
  let textOnly = false;

  // Each round is one model request; a round with function calls needs another one after it.
  for (let round = 0; round <= limits.maxToolCalls + 1; round++) {
    if (usage.tokensIn + usage.tokensOut >= limits.maxTokens) {
      return failed({ kind: 'token_budget', retryable: false, reason: `${usage.tokensIn + usage.tokensOut} tokens used this turn` });
    }
    let response;
    try {
      const res = await client.generate(
        { contents: [...req.history, ...contents], systemInstruction: req.systemInstruction, functionDeclarations: req.functionDeclarations, textOnly },
        limits.deadline,
      );
      usage.requests += res.attempts;
      usage.retries += res.attempts - 1;
      response = res.response;
    } catch (err) {
      if (err instanceof GeminiError) {
        usage.requests += err.attempts;
        usage.retries += Math.max(0, err.attempts - 1);
      }
      return failed(classifyError(err));
    }
    const spent = usageOf(response.usageMetadata);
    usage.tokensIn += spent.in;
    usage.tokensOut += spent.out;

    const candidate = response.candidates?.[0];
    const parts: Part[] = candidate?.content?.parts ?? [];
    const calls = parts.filter((p) => p.functionCall);
    if (calls.length === 0) {
      const text = parts
        .filter((p) => typeof p.text === 'string' && !p.thought)
        .map((p) => p.text)
        .join('')
        .trim();
      if (!text) {
        const reason = candidate?.finishReason ?? response.promptFeedback?.blockReason ?? 'no candidates';
        return failed({ kind: 'invalid_response', retryable: false, reason: `no text (${reason})` });
      }
      contents.push({ role: 'model', parts });
      return { ...base(), kind: 'answer', text };
    }
    if (textOnly) return failed({ kind: 'tool_limit', retryable: false, reason: 'function calls after the tool-call limit' });

    contents.push({ role: 'model', parts: parts.map(echoable) });
    const responses: Part[] = [];
    let handoff: ToolResult['startFlow'];
    for (const part of calls) {
      const call = part.functionCall ?? {};
      let response: Record<string, unknown>;
      if (usage.toolCalls >= limits.maxToolCalls) {
        response = { error: 'tool_call_limit', detail: 'No hay más herramientas en este turno: responde con lo que ya sabes.' };
      } else {
        usage.toolCalls += 1;
        const ran = await runToolCall(call, req.tool, log);
        if (ran.outcome !== 'ok') usage.toolErrors += 1;
        if (ran.result) results.push(ran.result);
        handoff ??= ran.result?.startFlow;
        response = ran.response;
      }
      responses.push({ functionResponse: { ...(call.id ? { id: call.id } : {}), name: call.name ?? '', response } });
    }
    contents.push({ role: 'user', parts: responses });
    if (handoff) return { ...base(), kind: 'handoff', flow: handoff.flow, ...(handoff.slots ? { slots: handoff.slots } : {}) };
    if (usage.toolCalls >= limits.maxToolCalls) textOnly = true;
  }
  return failed({ kind: 'tool_limit', retryable: false, reason: 'too many rounds' });
}
