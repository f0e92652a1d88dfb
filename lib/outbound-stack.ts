import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OperationsAlarms } from './alarms.ts';
import { Alerts } from './alerts.ts';
import { Analytics } from './analytics.ts';
import { CanSendSmsApi } from './api.ts';
import { ConsentTable } from './consent-table.ts';
import { DialerEvents, DialGateTable } from './dialer-events.ts';
import { DailyRun } from './daily-run.ts';
import { OperationsDashboard } from './dashboard.ts';
import { PartnerDelivery } from './partner-delivery.ts';
import { Functions } from './functions.ts';
import { Schedules } from './schedule.ts';
import type { OutboundSettings } from './settings.ts';
import { Storage } from './storage.ts';

export interface OutboundStackProps extends StackProps {
  settings: OutboundSettings;
}

/**
 * The outbound application: storage, consent table, Athena, the handlers, the daily run and the can_send_sms API,
 * and their operation: the schedules, the alarms paging through the alert topic, the dashboard.
 */
export class OutboundStack extends Stack {
  readonly storage: Storage;
  readonly consentTable: ConsentTable;
  readonly dialGateTable: DialGateTable;
  readonly dialerEvents: DialerEvents;
  readonly partnerDelivery: PartnerDelivery;
  readonly functions: Functions;
  readonly alerts: Alerts;
  readonly dailyRun: DailyRun;
  readonly api: CanSendSmsApi;
  readonly schedules: Schedules;
  readonly alarms: OperationsAlarms;
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: OutboundStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const logRetention = settings.logRetention;

    this.storage = new Storage(this, 'Storage');
    const { key } = this.storage;
    this.consentTable = new ConsentTable(this, 'ConsentTable', { key });
    this.dialGateTable = new DialGateTable(this, 'DialGateTable', { key });
    const analytics = new Analytics(this, 'Analytics', {
      lake: this.storage.lake,
      key,
      bytesScannedCutoff: settings.athenaBytesScannedCutoff,
    });
    this.partnerDelivery = new PartnerDelivery(this, 'PartnerDelivery', { partners: settings.partners, exports: this.storage.exports, key });
    this.functions = new Functions(this, 'Functions', {
      storage: this.storage,
      consentTable: this.consentTable.table,
      dialGateTable: this.dialGateTable.table,
      analytics,
      logRetention,
      listVolumeDeviationPercent: settings.listVolumeDeviationPercent,
      maxSnapshotAgeDays: settings.maxSnapshotAgeDays,
      genesys: settings.genesys,
      partners: settings.partners,
      partnerDelivery: this.partnerDelivery,
    });
    this.alerts = new Alerts(this, 'Alerts', { key, settings });
    this.dailyRun = new DailyRun(this, 'DailyRun', {
      taskFunctions: {
        PrepareRunFunctionArn: this.functions.prepareRun,
        ConsentTransformFunctionArn: this.functions.consentTransform,
        ConsentLoadFunctionArn: this.functions.consentLoad,
        BuildCustomerFactsFunctionArn: this.functions.buildCustomerFacts,
        EvaluateShardFunctionArn: this.functions.evaluateShard,
        FinalizeFunctionArn: this.functions.finalize,
        LoadDialGateFunctionArn: this.functions.loadDialGate,
        ExportListsFunctionArn: this.functions.exportLists,
        DeliverExportsFunctionArn: this.functions.deliverExports,
        GenesysPushFunctionArn: this.functions.genesysPush,
        ReportFunctionArn: this.functions.report,
      },
      alertTopic: this.alerts.topic,
      key,
      logRetention,
    });
    this.api = new CanSendSmsApi(this, 'CanSendSmsApi', { handler: this.functions.canSendSms, canCall: this.functions.canCall, key, logRetention, settings });
    this.dialerEvents = new DialerEvents(this, 'DialerEvents', { ingest: this.functions.ingestEvents, key });

    this.schedules = new Schedules(this, 'Schedules', {
      stateMachine: this.dailyRun.stateMachine,
      deadlineCheck: this.functions.checkRunDeadline,
      genesysResults: this.functions.genesysResults,
      key,
      enabled: settings.scheduleEnabled,
      genesysEnabled: settings.genesys !== undefined,
    });
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      topic: this.alerts.topic,
      stateMachine: this.dailyRun.stateMachine,
      functions: this.functions.byName,
      scheduleDeadLetters: this.schedules.deadLetterQueue,
      eventDeadLetters: this.dialerEvents.deadLetterQueue,
      api: this.api.api,
      consentTable: this.consentTable.table,
      settings,
    });
    this.dashboard = new OperationsDashboard(this, 'Dashboard', {
      alarms: this.alarms.alarms,
      api: this.api.api,
      functions: this.functions.byName,
    });
  }
}
