import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { metricsService } from '../config/metrics.ts';
import { maskPii } from '../domain/privacy/pii-masking.ts';

/**
 * The Powertools log record (the standard keys of its default formatter), with every value — message,
 * attributes, nested objects, arrays, errors — passed through THE masking rule (domain/privacy/pii-masking.ts).
 * Masking in the formatter, not at each call site, means a handler cannot log PII by forgetting to mask.
 */
export class MaskingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: this.mask(base) }).addAttributes(this.mask(additionalLogAttributes));
  }

  /** Also reached by Powertools' JSON replacer, for an Error that is not under an attribute this formatter saw. */
  override formatError(error: Error): LogAttributes {
    return maskPii(error, (inner) => super.formatError(inner)) as LogAttributes;
  }

  private mask(attributes: LogAttributes): LogAttributes {
    return maskPii(attributes, (error) => super.formatError(error)) as LogAttributes;
  }
}

/** The logger of every handler: one per handler module, so one step's appended keys never reach another's records. */
export function createLogger(): Logger {
  return new Logger({ serviceName: metricsService, logFormatter: new MaskingLogFormatter() });
}
