import type { Command } from 'commander';
import { defaultHome, startLocalRuntime } from '../../runtime/runtime.ts';

/** The API's answer for one pair, through the same handler and the same GET request the API serves. */
export async function smsCheck(account: string, phone: string): Promise<{ statusCode: number; body: unknown }> {
  // Imported once the runtime has set the environment the handler's logger reads at load.
  const { apiEvent, invokeApi } = await import('../../runtime/http-server.ts');
  const query = new URLSearchParams({ account, phone });
  const result = await invokeApi(apiEvent({ method: 'GET', url: `/v1/can-send-sms?${query}` }));
  return { statusCode: result.statusCode ?? 200, body: JSON.parse(result.body ?? 'null') };
}

export function registerSmsCheck(program: Command): void {
  program
    .command('sms-check')
    .description('answer can_send_sms for one account and phone from the local consent table (prints one JSON object)')
    .requiredOption('--account <account>', '16-digit account number')
    .requiredOption('--phone <phone>', 'phone number in any common US format')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .action(async (options: { account: string; phone: string; home: string }) => {
      const runtime = await startLocalRuntime({ home: options.home });
      try {
        const { statusCode, body } = await smsCheck(options.account, options.phone);
        console.log(JSON.stringify(body));
        if (statusCode !== 200) process.exitCode = statusCode < 500 ? 2 : 1;
      } finally {
        await runtime.stop();
      }
    });
}
