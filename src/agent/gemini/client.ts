import { FunctionCallingConfigMode, GoogleGenAI, type Content, type FunctionDeclaration, type GenerateContentConfig, type GenerateContentResponse } from '@google/genai';
import type { IspConfig } from '../../config/schema.ts';
import { classifyError, GeminiError, type Failure } from './errors.ts';

/**
 * The one place that talks to Gemini, through the official SDK (`@google/genai`):
 * `models.generateContent` with function declarations, each attempt bounded by its own timeout
 * and all of them by the turn's deadline. The SDK's own retries are off (no `retryOptions`):
 * transient failures are retried here, so a retry never outlives the turn budget.
 */
export interface ModelRequest {
  contents: Content[];
  systemInstruction: string;
  functionDeclarations: FunctionDeclaration[];
  /** Function calling off for this request: the model must answer with text. */
  textOnly?: boolean;
}

export interface ModelResponse {
  response: GenerateContentResponse;
  /** Requests sent for it (1 + retries). */
  attempts: number;
}

export interface ModelClient {
  readonly model: string;
  /** Rejects with GeminiError when the request fails for good or the deadline (performance.now() ms) comes first. */
  generate(request: ModelRequest, deadline: number): Promise<ModelResponse>;
}

export interface GeminiClientOptions {
  apiKey: string;
  model: string;
  /** GEMINI_BASE_URL: an emulator or a proxy. */
  baseUrl?: string;
  config: IspConfig['gemini'];
  /** Called before each retry (logs, metrics). */
  onRetry?: (failure: Failure, attempt: number, delayMs: number) => void;
}

const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 4000;
/** Below this much time left, another attempt cannot get an answer: stop. */
const MIN_ATTEMPT_MS = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createGeminiClient(options: GeminiClientOptions): ModelClient {
  const { config } = options;
  const ai = new GoogleGenAI({ apiKey: options.apiKey, ...(options.baseUrl ? { httpOptions: { baseUrl: options.baseUrl } } : {}) });

  function generationConfig(request: ModelRequest, signal: AbortSignal): GenerateContentConfig {
    const tools = request.functionDeclarations.length ? [{ functionDeclarations: request.functionDeclarations }] : undefined;
    return {
      systemInstruction: request.systemInstruction,
      temperature: config.temperature,
      maxOutputTokens: config.maxOutputTokens,
      candidateCount: 1,
      ...(config.thinkingBudget !== null ? { thinkingConfig: { thinkingBudget: config.thinkingBudget } } : {}),
      ...(tools
        ? {
            tools,
            toolConfig: { functionCallingConfig: { mode: request.textOnly ? FunctionCallingConfigMode.NONE : FunctionCallingConfigMode.AUTO } },
          }
        : {}),
      abortSignal: signal,
    };
  }

  async function generate(request: ModelRequest, deadline: number): Promise<ModelResponse> {
    const timeoutMs = config.timeoutSeconds * 1000;
    let last: Failure | undefined;
    let attempt = 1;
    for (; attempt <= config.maxAttempts; attempt++) {
      const left = deadline - performance.now();
      if (left < MIN_ATTEMPT_MS) break;
      try {
        const signal = AbortSignal.timeout(Math.floor(Math.min(timeoutMs, left)));
        const response = await ai.models.generateContent({ model: options.model, contents: request.contents, config: generationConfig(request, signal) });
        return { response, attempts: attempt };
      } catch (err) {
        last = classifyError(err);
        if (!last.retryable) throw new GeminiError(last, attempt);
        if (attempt === config.maxAttempts) throw new GeminiError(last, attempt);
        const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2);
        const delay = Math.max(backoff, last.retryDelayMs ?? 0);
        // The server asks for more time than the turn has: answer offline now instead of waiting in vain.
        if (performance.now() + delay + MIN_ATTEMPT_MS > deadline) throw new GeminiError({ ...last, reason: `${last.reason ?? last.kind}; no time left to retry` }, attempt);
        options.onRetry?.(last, attempt, Math.round(delay));
        await sleep(delay);
      }
    }
    const reason = last ? `no time left after ${last.kind}${last.reason ? ` (${last.reason})` : ''}` : 'no time left in the turn';
    throw new GeminiError({ kind: 'turn_budget', retryable: false, reason }, attempt - 1);
  }

  return { model: options.model, generate };
}
