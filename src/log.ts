import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs (pretty with LOG_PRETTY). Secrets and customer payloads are
 * redacted; database errors lose the query parameters they carry (they can
 * hold delivered item texts).
 */
export function createLogger(opts: { level: string; pretty: boolean; destination?: DestinationStream }): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: {
      paths: ['serverKey', '*.serverKey', 'authorization', '*.authorization', 'headers.authorization', 'signature_key', '*.signature_key', 'token', '*.token', 'apiKey', '*.apiKey', 'x-client-signature', '*.x-client-signature'],
      censor: '[redacted]',
    },
    serializers: {
      err: (err: unknown) => {
        const s = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
        delete s.params;
        delete s.query;
        delete s.queryOptions;
        return s;
      },
    },
    ...(opts.pretty && !opts.destination ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
