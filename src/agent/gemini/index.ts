import type { Content } from '@google/genai';
import type { Logger } from 'pino';
import type { Actor, Reply, Session } from '../../core/types.ts';
import type { FlowContext, FlowDeps } from '../../flows/flow.ts';
import { menuButton } from '../../flows/menu.ts';
import type { LowConfidenceAnswer, LowConfidenceHandler } from '../agent.ts';
import type { ToolResult } from '../tools/index.ts';
import { createGeminiClient, type ModelClient } from './client.ts';
import { runGeminiTurn, type TurnOutcome } from './engine.ts';
import type { FailureKind } from './errors.ts';
import { declarationsFor } from './functionDeclarations.ts';
import { checkGrounding } from './grounding.ts';
import { recall, remember, rememberedResponses } from './memory.ts';
import { costUsd, createSpendLedger } from './spend.ts';
import { buildSystemInstruction } from './systemInstruction.ts';
import { createGeminiUsage, type GeminiUsage } from './usage.ts';

/**
 * The Gemini agent as the offline agent's low-confidence handler: messages the NLU cannot place
 * go to the model with the tools of the actor's role. It answers with text (checked against the
 * grounding rules), hands the conversation to a flow, or returns undefined — then the offline
 * NLU and flows answer exactly as without Gemini (failure, budget, spend cap, ungrounded data).
 */
export interface GeminiAgentOptions {
  apiKey: string;
  model: string;
  baseUrl?: string;
  deps: FlowDeps;
  logger: Logger;
}

export interface GeminiAgent {
  handle: LowConfidenceHandler;
  usage: GeminiUsage;
  model: string;
}

/** Model text remembered in place of what was not sent, so the model knows what happened. */
const NOTES = {
  handoff: (flow: string) => `(La conversación pasó al flujo "${flow}", que siguió con sus propias preguntas.)`,
  withheld: '(Esta respuesta no se envió: citaba un precio o un dato que no vino de las herramientas.)',
  toolReplyOnly: '(No hubo respuesta del modelo; se envió la confirmación de la herramienta.)',
};

const note = (text: string): Content => ({ role: 'model', parts: [{ text }] });

/** Ready replies of tools that acted (a ticket filed), unless the model's text already carries their folio. */
function toolReplies(results: readonly ToolResult[], text = ''): Reply[] {
  return results.flatMap((r) => {
    const folio = r.response.folio;
    return r.reply && !(typeof folio === 'string' && text.includes(folio)) ? [r.reply] : [];
  });
}

export function createGeminiAgent(options: GeminiAgentOptions, client?: ModelClient): GeminiAgent {
  const { deps } = options;
  const cfg = deps.config.gemini;
  const log = options.logger.child({ component: 'gemini', model: options.model });
  const usage = createGeminiUsage();
  const ledger = createSpendLedger(deps.kv, deps.config.isp.timezone, deps.clock);
  const model =
    client ??
    createGeminiClient({
      apiKey: options.apiKey,
      model: options.model,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      config: cfg,
      onRetry: (f, attempt, delayMs) => log.warn({ kind: f.kind, status: f.status, reason: f.reason, attempt, delayMs }, 'gemini request failed; retrying'),
    });
  let cappedDay: string | undefined;

  function fallback(reason: FailureKind): undefined {
    usage.recordFallback(reason);
    return undefined;
  }

  /** Turns the engine's outcome into what the agent sends, and what is remembered. */
  function conclude(outcome: TurnOutcome, ctx: FlowContext, session: Session, history: Content[]): LowConfidenceAnswer | undefined {
    const { actor } = ctx;
    const keep = (contents: Content[]): void => remember(session, actor, contents, ctx.now.getTime(), cfg.historyTurns);
    switch (outcome.kind) {
      case 'handoff':
        keep([...outcome.contents, note(NOTES.handoff(outcome.flow))]);
        return { replies: toolReplies(outcome.results), startFlow: outcome.flow, ...(outcome.slots ? { slots: outcome.slots } : {}) };
      case 'failed': {
        const level = outcome.failure.kind === 'rejected' || outcome.failure.kind === 'internal' ? 'error' : 'warn';
        log[level]({ kind: outcome.failure.kind, status: outcome.failure.status, reason: outcome.failure.reason }, 'gemini gave no answer; the offline path answers');
        fallback(outcome.failure.kind);
        const ready = toolReplies(outcome.results);
        if (!ready.length) return undefined;
        keep([...outcome.contents, note(NOTES.toolReplyOnly)]);
        return { replies: ready };
      }
      case 'answer': {
        const facts = { config: deps.config, toolResponses: [...rememberedResponses(history), ...rememberedResponses(outcome.contents)], userText: ctx.input.text, actor };
        const grounding = checkGrounding(outcome.text, facts);
        if (grounding.ok) {
          keep(outcome.contents);
          return { replies: [{ text: outcome.text, quickReplies: [menuButton(deps.msg)] }, ...toolReplies(outcome.results, outcome.text)] };
        }
        usage.recordGroundingRejection();
        log.warn({ reason: grounding.reason, found: grounding.found.length }, 'gemini reply withheld: not grounded in tools or config');
        keep([...outcome.contents.slice(0, -1), note(NOTES.withheld)]);
        const ready = toolReplies(outcome.results);
        if (ready.length) return { replies: ready };
        // A price the config does not have: the plans flow answers with the configured ones.
        if (grounding.reason === 'price') return { replies: [], startFlow: 'planes' };
        return fallback('grounding');
      }
    }
  }

  async function turn(ctx: FlowContext, session: Session): Promise<LowConfidenceAnswer | undefined> {
    const started = performance.now();
    const today = await ledger.today();
    usage.setSpendToday(today.day, today.usd);
    if (today.usd >= cfg.dailySpendCapUsd) {
      if (cappedDay !== today.day) log.warn({ day: today.day, spentUsd: today.usd, capUsd: cfg.dailySpendCapUsd }, 'gemini daily spend cap reached: offline path only until tomorrow');
      cappedDay = today.day;
      return fallback('spend_cap');
    }
    const actor: Actor = ctx.actor;
    const history = recall(session, actor);
    const outcome = await runGeminiTurn(
      model,
      {
        userText: ctx.input.text,
        history,
        systemInstruction: buildSystemInstruction(deps.config, actor, ctx.channel, ctx.now),
        functionDeclarations: declarationsFor(actor.role),
        tool: { deps, actor, channel: ctx.channel, now: ctx.now, ...(ctx.profileName ? { profileName: ctx.profileName } : {}) },
        limits: { maxToolCalls: cfg.maxToolCallsPerTurn, maxTokens: cfg.maxTokensPerTurn, deadline: started + cfg.turnBudgetSeconds * 1000 },
      },
      log,
    );
    const { tokensIn, tokensOut } = outcome.usage;
    const cost = costUsd(cfg.priceUsdPer1MTokens, tokensIn, tokensOut);
    let spent = today.usd;
    if (cost > 0) {
      spent = await ledger.add(cost).catch((err: unknown) => {
        log.error({ err }, 'gemini spend not recorded');
        return today.usd + cost;
      });
      usage.setSpendToday(today.day, spent);
    }
    const answer = conclude(outcome, ctx, session, history);
    usage.recordTurn(outcome.usage, answer !== undefined);
    log.info(
      {
        outcome: answer ? outcome.kind : 'fallback',
        ...(answer?.startFlow ? { startFlow: answer.startFlow } : {}),
        requests: outcome.usage.requests,
        retries: outcome.usage.retries,
        toolCalls: outcome.usage.toolCalls,
        toolErrors: outcome.usage.toolErrors,
        tokensIn,
        tokensOut,
        costUsd: Number(cost.toFixed(6)),
        spendTodayUsd: Number(spent.toFixed(6)),
        ms: Math.round(performance.now() - started),
      },
      'gemini turn',
    );
    return answer;
  }

  const handle: LowConfidenceHandler = async (ctx, session) => {
    if (!ctx.input.text) return undefined;
    try {
      return await turn(ctx, session);
    } catch (err) {
      // Never a stack trace for the customer: the offline path answers.
      log.error({ err }, 'gemini turn failed unexpectedly; the offline path answers');
      return fallback('internal');
    }
  };

  return { handle, usage, model: model.model };
}
