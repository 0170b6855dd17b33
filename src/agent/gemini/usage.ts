import type { FailureKind } from './errors.ts';

/**
 * Gemini's counters in this process, until a metrics module exports them: turns, model requests,
 * retries, fallbacks to the offline path (by reason), tool calls, tokens in/out and the day's
 * spend as last read from the shared ledger. Logged with every Gemini turn; `snapshot()` for
 * whoever wants them (a status page, tests).
 */
export interface UsageSnapshot {
  turns: number;
  /** Turns answered by Gemini (text, or a flow it started). */
  answered: number;
  requests: number;
  retries: number;
  fallbacks: number;
  fallbackReasons: Partial<Record<FailureKind, number>>;
  toolCalls: number;
  toolErrors: number;
  groundingRejections: number;
  tokensIn: number;
  tokensOut: number;
  spendToday: { day: string; usd: number };
}

export interface TurnUsage {
  requests: number;
  retries: number;
  toolCalls: number;
  toolErrors: number;
  tokensIn: number;
  tokensOut: number;
}

export interface GeminiUsage {
  recordTurn(turn: TurnUsage, answered: boolean): void;
  recordFallback(reason: FailureKind): void;
  recordGroundingRejection(): void;
  setSpendToday(day: string, usd: number): void;
  snapshot(): UsageSnapshot;
}

export function createGeminiUsage(): GeminiUsage {
  const s: UsageSnapshot = {
    turns: 0,
    answered: 0,
    requests: 0,
    retries: 0,
    fallbacks: 0,
    fallbackReasons: {},
    toolCalls: 0,
    toolErrors: 0,
    groundingRejections: 0,
    tokensIn: 0,
    tokensOut: 0,
    spendToday: { day: '', usd: 0 },
  };
  return {
    recordTurn(turn, answered) {
      s.turns += 1;
      if (answered) s.answered += 1;
      s.requests += turn.requests;
      s.retries += turn.retries;
      s.toolCalls += turn.toolCalls;
      s.toolErrors += turn.toolErrors;
      s.tokensIn += turn.tokensIn;
      s.tokensOut += turn.tokensOut;
    },
    recordFallback(reason) {
      s.fallbacks += 1;
      s.fallbackReasons[reason] = (s.fallbackReasons[reason] ?? 0) + 1;
    },
    recordGroundingRejection() {
      s.groundingRejections += 1;
    },
    setSpendToday(day, usd) {
      s.spendToday = { day, usd };
    },
    snapshot: () => structuredClone(s),
  };
}
