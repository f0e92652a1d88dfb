import { Command } from 'commander';
import { registerGenerate } from './commands/generate.ts';
import { registerRun } from './commands/run.ts';
import { registerServe } from './commands/serve.ts';
import { registerSmsCheck } from './commands/sms-check.ts';
import { registerQuery } from './commands/query.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDemoProgram } from './commands/demo-program.ts';
import { registerExplain } from './commands/explain.ts';
import { registerConfig } from './commands/config.ts';
import { registerExports } from './commands/exports.ts';
import { registerGenesys } from './commands/genesys.ts';
import { registerEvents } from './commands/events.ts';
import { registerOptOuts } from './commands/optouts.ts';

const program = new Command('outbound').description('Daily outbound lists and the can_send_sms API, run locally on embedded stand-ins').showHelpAfterError();

for (const register of [
  registerGenerate,
  registerRun,
  registerServe,
  registerSmsCheck,
  registerQuery,
  registerExplain,
  registerDemo,
  registerDemoProgram,
  registerConfig,
  registerExports,
  registerGenesys,
  registerEvents,
  registerOptOuts,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Operational errors (bad input, a home in use, a missing file) are reported as one line, not a stack.
  console.error(`outbound: ${(error as Error).message}`);
  process.exitCode = 1;
}
