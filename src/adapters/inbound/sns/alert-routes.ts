// Builds the two alert webhook routes (/alerts/sns, /alerts/alertmanager) from config slices and
// secrets, with production defaults for certificate fetching and subscription confirmation that tests
// and emulators can replace.

import type { IngestAlert } from '../../../app/incidents/ingest-alert.ts';
import type { Config } from '../../../config/config.schema.ts';
import type { Secrets } from '../../../config/load-config.ts';
import type { Clock } from '../../../ports/clock.port.ts';
import type { Metrics } from '../../../ports/metrics.port.ts';
import { createAlertmanagerAuth } from '../alertmanager/alertmanager-auth.ts';
import { alertmanagerRoute } from '../alertmanager/alertmanager-route.ts';
import type { Route } from '../http/route.ts';
import { createCertificateCache, createHttpsCertificateFetcher, type CertificateFetcher } from './sns-certificate.ts';
import { snsRoute } from './sns-route.ts';
import { createSnsSignatureVerifier } from './sns-signature.ts';
import { createHttpsSubscriptionConfirmer, type SubscriptionConfirmer } from './sns-subscription.ts';
import type { Logger } from '../../../ports/logger.port.ts';

export interface AlertRoutesDeps {
  ingest: IngestAlert;
  config: { alerts: Config['alerts']; server: Pick<Config['server'], 'maxBodyBytes'> };
  secrets: Pick<Secrets, 'alertmanagerBearerToken' | 'alertmanagerBasicUser' | 'alertmanagerBasicPassword'>;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  metrics: Pick<Metrics, 'alertReceived'>;
  clock: Clock;
  /** Where signing certificates come from; default HTTPS from the checked SigningCertURL. */
  certificateFetcher?: CertificateFetcher;
  /** How a SubscribeURL is visited; default an HTTPS GET. */
  subscriptionConfirmer?: SubscriptionConfirmer;
  /** Refuse SNS messages older than this (replays). Default 1 h. */
  maxMessageAgeMs?: number;
}

export const alertRoutes = (deps: AlertRoutesDeps): Route[] => {
  const { sns } = deps.config.alerts;
  const certificates = createCertificateCache({ fetcher: deps.certificateFetcher ?? createHttpsCertificateFetcher(), clock: deps.clock });
  const auth = createAlertmanagerAuth({
    bearerToken: deps.secrets.alertmanagerBearerToken,
    basicUser: deps.secrets.alertmanagerBasicUser,
    basicPassword: deps.secrets.alertmanagerBasicPassword,
  });
  if (!auth.configured) {
    deps.logger.warn({ source: 'alertmanager' }, 'POST /alerts/alertmanager refuses every request: no bearer token or basic auth is configured');
  }
  if (sns.topicArns.length === 0) {
    deps.logger.warn({ source: 'sns' }, 'POST /alerts/sns refuses every message: alerts.sns.topicArns is empty');
  }
  return [
    snsRoute({
      ingest: deps.ingest,
      topicArns: sns.topicArns,
      extraCertificateHosts: sns.extraCertificateHosts,
      maxBodyBytes: deps.config.server.maxBodyBytes,
      clock: deps.clock,
      logger: deps.logger,
      metrics: deps.metrics,
      verifySignature: createSnsSignatureVerifier({ certificates, extraHosts: sns.extraCertificateHosts }),
      confirmSubscription: deps.subscriptionConfirmer ?? createHttpsSubscriptionConfirmer(),
      ...(deps.maxMessageAgeMs === undefined ? {} : { maxMessageAgeMs: deps.maxMessageAgeMs }),
    }),
    alertmanagerRoute({ ingest: deps.ingest, auth, maxBodyBytes: deps.config.server.maxBodyBytes, logger: deps.logger, metrics: deps.metrics }),
  ];
};
