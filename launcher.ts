/**
 * The one entry point: `launcher --mode status|auto|telegram|whatsapp|console`, plus `chat`,
 * `nlu` and `data` for scripted use. See README.md.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, loadRuntime } from './src/cli/boot.ts';
import { telegramConfigured, whatsappConfigured } from './src/config/env.ts';
import { parseTab } from './src/cli/parseTab.ts';
import type { ChatUser } from './src/channels/console/chatSession.ts';

// Each command's module is loaded when that command runs: a server does not carry the outreach
// models, chart rendering or CSV tools in memory, and a one-off command starts faster.
const chatCommand = () => import('./src/cli/chatCommand.ts');
const dataCommand = () => import('./src/cli/dataCommand.ts');
const nluCommand = () => import('./src/cli/nluCommand.ts');
const outreachCommand = () => import('./src/cli/outreachCommand.ts');
const runModes = () => import('./src/cli/runModes.ts');
const sheetsCommand = () => import('./src/cli/sheetsCommand.ts');
const statusCommand = () => import('./src/cli/statusCommand.ts');

// `launcher data export | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const MODES = ['status', 'auto', 'telegram', 'whatsapp', 'console'] as const;
type Mode = (typeof MODES)[number];

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

const program = new Command('launcher')
  .description('isp-gateway: one agent for an ISP on Telegram, WhatsApp and the terminal')
  .addOption(new Option('--mode <mode>', 'what to run').choices(MODES).default('auto'))
  .addOption(new Option('--as <role>', 'console: chat as').choices(['customer', 'staff']).default('customer'))
  .option('--phone <number>', 'console: chat as the customer with this phone')
  .option('--name <name>', 'console: your profile name')
  .option('--user <id>', 'console: user id (keeps the conversation)', 'console-user')
  .enablePositionalOptions()
  .showHelpAfterError()
  .showSuggestionAfterError(true)
  .exitOverride()
  .action(async (opts: { mode: Mode; as: 'customer' | 'staff'; phone?: string; name?: string; user: string }) => {
    // Server modes log at LOG_LEVEL; the terminal chat and status keep the screen for the user.
    const runtime = loadRuntime({
      quiet: (env) => opts.mode === 'console' || opts.mode === 'status' || (opts.mode === 'auto' && !telegramConfigured(env) && !whatsappConfigured(env)),
    });
    const who: ChatUser = { user: opts.user, role: opts.as, ...(opts.phone ? { phone: opts.phone } : {}), ...(opts.name ? { name: opts.name } : {}) };
    switch (opts.mode) {
      case 'status':
        process.exitCode = await (await statusCommand()).runStatus(runtime);
        return;
      case 'console':
        return (await runModes()).runConsole(runtime, who);
      case 'auto':
        return (await runModes()).runAuto(runtime, who, process.stdin.isTTY === true);
      case 'telegram':
      case 'whatsapp':
        return (await runModes()).runServerChannel(runtime, opts.mode);
    }
  });

program
  .command('chat')
  .description('scripted chat: one user message per stdin line, the bot replies on stdout')
  .requiredOption('--user <id>', 'the user id (state persists per user)')
  .addOption(new Option('--channel <channel>', 'channel to pretend').choices(['console', 'telegram', 'whatsapp']).default('console'))
  .addOption(new Option('--role <role>', 'console role').choices(['customer', 'staff']).default('customer'))
  .option('--phone <number>', "the user's phone (as WhatsApp would give it)")
  .option('--name <name>', 'profile name')
  .option('--json', 'one JSON object per reply: {"text","quickReplies","intent","flow"}', false)
  .action(async (opts: { user: string; channel: 'console' | 'telegram' | 'whatsapp'; role: 'customer' | 'staff'; phone?: string; name?: string; json: boolean }) => {
    await (await chatCommand()).runChat(loadRuntime({ quiet: true }), {
      user: opts.user,
      channel: opts.channel,
      role: opts.role,
      json: opts.json,
      ...(opts.phone ? { phone: opts.phone } : {}),
      ...(opts.name ? { name: opts.name } : {}),
    });
  });

program
  .command('nlu')
  .description('classify messages: one JSON per line {"text","intent","confidence","entities"}')
  .argument('[text]', 'one message; without it, one message per stdin line')
  .action(async (text: string | undefined) => (await nluCommand()).runNlu(loadRuntime({ quiet: true }), text));

const data = program.command('data').description('the local store: demo data, export, import');
data
  .command('demo')
  .description('fill the store with a clearly marked synthetic data set')
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .option('--customers <n>', 'how many customers', positiveInt, 500)
  .action(async (opts: { seed: number; customers: number }) => (await dataCommand()).runDataDemo(loadRuntime({ quiet: true }), opts));
data
  .command('export')
  .description('print a tab as CSV or JSON')
  .requiredOption('--tab <name>', 'Clientes, Incidentes or Prospectos', parseTab)
  .addOption(new Option('--format <format>').choices(['csv', 'json']).default('csv'))
  .action(async (opts: { tab: ReturnType<typeof parseTab>; format: 'csv' | 'json' }) =>
    (await dataCommand()).runDataExport(loadRuntime({ quiet: true }), opts.tab, opts.format),
  );
data
  .command('import')
  .description('import a CSV into a tab (header aliases applied; bad rows reported)')
  .requiredOption('--tab <name>', 'Clientes, Incidentes or Prospectos', parseTab)
  .argument('<file>', 'CSV file with a header row')
  .action(async (file: string, opts: { tab: ReturnType<typeof parseTab> }) => {
    process.exitCode = await (await dataCommand()).runDataImport(loadRuntime({ quiet: true }), opts.tab, file);
  });

const outreach = program.command('outreach').description('proactive outreach: churn model, segments, campaigns, billing reminders');
outreach
  .command('train')
  .description('train the churn model on the history (cancelled = churned); prints held-out precision/recall/AUC')
  .option('--seed <n>', 'split seed', positiveInt, 42)
  .action(async (opts: { seed: number }) => (await outreachCommand()).runOutreachTrain(loadRuntime({ quiet: true }), opts));
outreach
  .command('segments')
  .description('RFM segments (k-means, k by silhouette): prints the table, writes a PNG scatter')
  .option('--seed <n>', 'k-means seed', positiveInt, 42)
  .option('--out <file>', 'PNG path (default DATA_DIR/segments.png)')
  .action(async (opts: { seed: number; out?: string }) => (await outreachCommand()).runOutreachSegments(loadRuntime({ quiet: true }), opts));
outreach
  .command('preview')
  .description('write and store a draft per targeted customer (Gemini when configured, checked; else the template) and show them; nothing is sent')
  .requiredOption('--campaign <name>', 'a campaign from outreach.campaigns in config')
  .option('--segment <name>', 'only customers of this segment')
  .option('--limit <n>', 'drafts to show per profile', positiveInt, 5)
  .option('--regenerate', 'write new drafts even where stored ones still fit (approvals are dropped)', false)
  .action(async (opts: { campaign: string; segment?: string; limit?: number; regenerate?: boolean }) => (await outreachCommand()).runOutreachPreview(loadRuntime({ quiet: true }), opts));
outreach
  .command('approve')
  .description("approve a campaign's stored drafts (all, or some customers or profiles)")
  .requiredOption('--campaign <name>', 'a campaign from outreach.campaigns in config')
  .option('--customer <id...>', 'only these customers')
  .option('--profile <profile...>', 'only these profiles')
  .option('--by <name>', 'who approves (default: the system user)')
  .action(async (opts: { campaign: string; customer?: string[]; profile?: string[]; by?: string }) => (await outreachCommand()).runOutreachApprove(loadRuntime({ quiet: true }), opts));
outreach
  .command('run')
  .description('send a campaign, once per customer (resumable); with approval: true only approved drafts')
  .requiredOption('--campaign <name>', 'a campaign from outreach.campaigns in config')
  .option('--segment <name>', 'only customers of this segment')
  .option('--dry-run', 'plan only, send nothing', false)
  .action(async (opts: { campaign: string; segment?: string; dryRun?: boolean }) => (await outreachCommand()).runOutreachCampaign(loadRuntime({ quiet: true }), opts));
outreach
  .command('calls')
  .description('customers due a reminder or an offer that no configured channel reaches: the staff call them')
  .option('--csv <file>', 'also write the list as CSV')
  .action(async (opts: { csv?: string }) => (await outreachCommand()).runOutreachCalls(loadRuntime({ quiet: true }), opts));
outreach
  .command('offers')
  .description('retention offers for at-risk customers: score, facts, offer and channel')
  .option('--limit <n>', 'rows to show', positiveInt)
  .action(async (opts: { limit?: number }) => (await outreachCommand()).runOutreachOffers(loadRuntime({ quiet: true }), opts));
outreach
  .command('reminders')
  .description('send the billing reminders due today (once per customer, cycle and offset)')
  .option('--dry-run', 'list what is due, send nothing', false)
  .action(async (opts: { dryRun: boolean }) => (await outreachCommand()).runOutreachReminders(loadRuntime({ quiet: true }), opts));

const sheets = program.command('sheets').description("the ISP's Google Sheet (GOOGLE_SHEETS_ID): prepare it, copy the local store to it or back");
sheets
  .command('init')
  .description('create missing tabs and header cells; cells holding data are never touched')
  .action(async () => (await sheetsCommand()).runSheetsInit(loadRuntime({ quiet: true })));
for (const direction of ['push', 'pull'] as const) {
  sheets
    .command(direction)
    .description(direction === 'push' ? 'copy every tab of the local store (DATA_DIR) into the sheet, rows matched by id' : 'copy every tab of the sheet into the local store (DATA_DIR)')
    .option('--tab <name>', 'only this tab', parseTab)
    .action(async (opts: { tab?: ReturnType<typeof parseTab> }) => {
      process.exitCode = await (await sheetsCommand()).runSheetsCopy(loadRuntime({ quiet: true }), direction, opts.tab ? [opts.tab] : undefined);
    });
}

for (const cmd of [program, ...program.commands, ...data.commands, ...sheets.commands, ...outreach.commands]) cmd.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof CliError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = err.code;
  } else {
    process.stderr.write(`unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}
