import type { Command } from 'commander';
import { defaultHome, startLocalRuntime } from '../../runtime/runtime.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the can_send_sms HTTP API locally (same handler as the cloud) until interrupted')
    .option('--port <port>', 'loopback port (0 = any free port)', '8787')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .action(async (options: { port: string; home: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) program.error(`--port: expected an integer 0..65535, got ${options.port}`);
      const runtime = await startLocalRuntime({ home: options.home });
      // Imported once the runtime has set the environment the handler's logger reads at load.
      const { startApiServer } = await import('../../runtime/http-server.ts');
      const server = await startApiServer(port).catch(async (error: Error) => {
        await runtime.stop();
        program.error(`cannot listen on 127.0.0.1:${port}: ${error.message}`);
      });
      console.log(`can_send_sms API on ${server.url} (home ${runtime.home})`);
      console.log(`  GET  ${server.url}/v1/can-send-sms?account=NNNNNNNNNNNNNNNN&phone=PHONE`);
      console.log(`  POST ${server.url}/v1/can-send-sms/batch  {"items":[{"account":"…","phone":"…"}]}`);
      console.log('Ctrl+C to stop');

      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await server.close();
        await runtime.stop();
        console.log('stopped');
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
