import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alerts } from './alerts.ts';
import { Analytics } from './analytics.ts';
import { CanSendSmsApi } from './api.ts';
import { ConsentTable } from './consent-table.ts';
import { DailyRun } from './daily-run.ts';
import { Functions } from './functions.ts';
import type { OutboundSettings } from './settings.ts';
import { Storage } from './storage.ts';

export interface OutboundStackProps extends StackProps {
  settings: OutboundSettings;
}

/** The outbound application: storage, consent table, Athena, the handlers, the daily run and the can_send_sms API. */
export class OutboundStack extends Stack {
  readonly storage: Storage;
  readonly consentTable: ConsentTable;
  readonly functions: Functions;
  readonly alerts: Alerts;
  readonly dailyRun: DailyRun;
  readonly api: CanSendSmsApi;

  constructor(scope: Construct, id: string, props: OutboundStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const logRetention = settings.logRetention;

    this.storage = new Storage(this, 'Storage');
    const { key } = this.storage;
    this.consentTable = new ConsentTable(this, 'ConsentTable', { key });
    const analytics = new Analytics(this, 'Analytics', {
      lake: this.storage.lake,
      key,
      bytesScannedCutoff: settings.athenaBytesScannedCutoff,
    });
    this.functions = new Functions(this, 'Functions', {
      storage: this.storage,
      consentTable: this.consentTable.table,
      analytics,
      logRetention,
    });
    this.alerts = new Alerts(this, 'Alerts', { key });
    this.dailyRun = new DailyRun(this, 'DailyRun', {
      taskFunctions: {
        PrepareRunFunctionArn: this.functions.prepareRun,
        ConsentTransformFunctionArn: this.functions.consentTransform,
        ConsentLoadFunctionArn: this.functions.consentLoad,
        BuildCustomerFactsFunctionArn: this.functions.buildCustomerFacts,
        EvaluateShardFunctionArn: this.functions.evaluateShard,
        FinalizeFunctionArn: this.functions.finalize,
        ExportListsFunctionArn: this.functions.exportLists,
        GenesysPushFunctionArn: this.functions.genesysPush,
        ReportFunctionArn: this.functions.report,
      },
      alertTopic: this.alerts.topic,
      key,
      logRetention,
    });
    this.api = new CanSendSmsApi(this, 'CanSendSmsApi', { handler: this.functions.canSendSms, key, logRetention, settings });
  }
}
