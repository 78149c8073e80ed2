// The composition root: builds the ORM, the services, the REST API and the Colyseus server, and
// puts them on one HTTP port. Everything else receives what it needs from here.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { defineRoom, defineServer, matchMaker, type Server as GameServer } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import type { Express } from "express";
import { MAX_BODY_BYTES } from "../../shared/src/constants.ts";
import { ROOM_TYPE } from "../../shared/src/protocol.ts";
import type { ResolvedConfig } from "./config/index.ts";
import { resolvePublicAddress } from "./config/public-address.ts";
import { createOrm, migrate, type Orm } from "./db/orm.ts";
import { waitForDatabase } from "./db/wait.ts";
import { JsonGateway } from "./gateway/json-gateway.ts";
import { docsRouter } from "./http/docs.ts";
import { errorHandler } from "./http/errors.ts";
import { healthRouter } from "./http/health.ts";
import { monitorRouter } from "./http/monitor.ts";
import { metricsRouter, requestContext, startMetricsServer } from "./http/observe.ts";
import { buildOpenApi } from "./http/openapi.ts";
import type { AuthLimits } from "./limits/rate-limiter.ts";
import { SOCKET_OPTIONS } from "./limits/sockets.ts";
import { SLOW_LANE_DEFAULTS, SlowLane } from "./limits/slow-lane.ts";
import { apiRouter } from "./http/router.ts";
import { ControlServer } from "./ops/control.ts";
import { collectOnce } from "./ops/memory.ts";
import { pgliteOf, snapshotPglite } from "./ops/snapshot.ts";
import { allRoutes } from "./http/routes/index.ts";
import { clientRouter } from "./http/static.ts";
import { createCafeRoom } from "./rooms/cafe-room.ts";
import { createLogger, lineDestination, type Logger } from "./observability/logger.ts";
import { Metrics } from "./observability/metrics.ts";
import { createScaleOut } from "./scale.ts";
import { createServices, type Services } from "./services/index.ts";
import { ProcessLiveness } from "./services/liveness.ts";
import { databaseSubject } from "./services/outage.ts";
import type { ScryptParams } from "./services/passwords.ts";

export const API_PREFIX = "/api/v1";
export const VERSION = "0.1.0";

export interface AppOptions {
  authLimits?: AuthLimits;
  /** Lighter scrypt parameters, for test suites only (the default is OWASP's). */
  hashParams?: ScryptParams;
  /** Receives each JSON log line instead of stderr (tests). */
  log?: (line: string) => void;
}

export interface CafeApp {
  config: ResolvedConfig;
  orm: Orm;
  services: Services;
  logger: Logger;
  metrics: Metrics;
  /** http://host:port/metrics on METRICS_PORT, when set. */
  metricsUrl: string | undefined;
  http: HttpServer;
  game: GameServer;
  /** The bound port (useful with PORT=0). */
  port: number;
  /** http://host:port, for clients on this machine. */
  url: string;
  close(): Promise<void>;
}

interface HttpParts {
  config: ResolvedConfig;
  services: Services;
  options: AppOptions;
  orm: Orm;
  logger: Logger;
  metrics: Metrics;
  database: string;
}

function configureHttp(app: Express, { config, services, options, orm, logger, metrics, database }: HttpParts): void {
  const authLimits = options.authLimits ?? config.authLimits;
  const routes = allRoutes(services, authLimits);
  app.disable("x-powered-by");
  // Behind a proxy (TRUST_PROXY), req.ip is the client's address from X-Forwarded-For: the throttles key on it.
  if (config.trustProxy !== undefined) app.set("trust proxy", config.trustProxy);
  app.use(requestContext(logger));
  app.use(healthRouter(orm));
  app.use(metricsRouter(metrics, services.accounts));
  app.use(docsRouter(buildOpenApi(routes, API_PREFIX, VERSION)));
  app.use(API_PREFIX, apiRouter(routes, services.accounts, MAX_BODY_BYTES));
  app.use(monitorRouter(services.accounts, authLimits.loginPerAddress));
  app.use(clientRouter());
  app.use(errorHandler(logger, database));
}

/** The backup socket of an embedded database (see ops/control.ts); a failure only costs live backups. */
async function startControl(config: ResolvedConfig, orm: Orm, logger: Logger): Promise<ControlServer | undefined> {
  if (config.database.kind !== "pglite" || config.database.dataDir.startsWith("memory://")) return undefined;
  const log = (line: string) => logger.error({ component: "backup" }, line);
  try {
    return await ControlServer.start(config.dataDir, async () => snapshotPglite(await pgliteOf(orm)), log);
  } catch (err) {
    logger.warn({ component: "backup" }, `backup socket not available, npm run backup needs the server stopped: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

export async function startApp(config: ResolvedConfig, options: AppOptions = {}): Promise<CafeApp> {
  const logger = createLogger(config.logLevel, options.log ? lineDestination(options.log) : undefined);
  // Before anything opens: a cluster member nobody can reach must not start.
  const publicAddress = resolvePublicAddress(config);
  if (publicAddress.note) logger.info(publicAddress.note);
  // One lane for every room and the gateway: its budget bounds a turn of this process's event loop.
  const slowLane = new SlowLane({ ...SLOW_LANE_DEFAULTS, onError: (err) => logger.error({ err }, "a held message's handler threw") });
  const metrics = new Metrics(() => ({
    rooms: matchMaker.stats.local.roomCount,
    clients: matchMaker.stats.local.ccu,
    slowLaneWaiting: slowLane.waiting,
    slowLaneDelayed: slowLane.delayed,
  }));
  const orm = await createOrm(config.database, {
    debug: config.debug,
    onQuery: (ms) => metrics.dbQueryMs(ms),
    writer: (line) => logger.info({ component: "sql" }, line),
  });
  try {
    if (config.database.kind === "postgresql") {
      await waitForDatabase(orm, config.databaseConnectTimeoutS, (line) => logger.warn({ component: "db" }, line));
    }
    await migrate(orm);
    // Failures reported by plain-text callers.
    const log = (line: string) => logger.error(line);
    const scale = createScaleOut(config.redisUrl, config.redisPrefix);
    const { presence, driver, mode } = scale;
    const processId = () => matchMaker.processId;
    const database = databaseSubject(config.database);
    const services = createServices(
      orm,
      config,
      presence,
      processId,
      options.hashParams,
      (line) => logger.info({ component: "moderation" }, line),
      { ready: scale.ready, log: (line, fields) => logger.warn({ component: "redis", ...fields }, line) },
    );
    // Alone, no other process can hold a seat: visits left open are leftovers of an earlier run.
    if (mode === "single process") await services.visits.closeOrphans({ allOpen: true });
    const http = createServer();
    // The JSON gateway owns its path's upgrades; Colyseus takes every other WebSocket.
    const transport = new WebSocketTransport({ noServer: true, ...SOCKET_OPTIONS });
    transport.attachToServer(http, { filter: (req) => !JsonGateway.matches(req) });
    let selfUrl = "";
    const gateway = new JsonGateway({ authenticate: (token) => services.tokens.check(token), selfUrl: () => selfUrl, slowLane });
    http.on("upgrade", (req, socket, head) => {
      if (JsonGateway.matches(req)) gateway.handleUpgrade(req, socket, head);
    });
    const game = defineServer({
      transport,
      presence,
      driver,
      rooms: { [ROOM_TYPE]: defineRoom(createCafeRoom({ services, logger, metrics, database, redisReady: scale.ready, slowLane })).filterBy(["room_id"]) },
      // Clients reach a room on another process at its publicAddress (see README, scale-out).
      ...(publicAddress.address ? { publicAddress: publicAddress.address } : {}),
      // A new room is created by the process that got the request: never by a peer that may be gone.
      selectProcessIdToCreateRoom: async () => matchMaker.processId,
      // Colyseus's own messages become JSON lines too.
      logger: logger.child({ component: "colyseus" }),
      greet: false,
      gracefullyShutdown: false,
      express: (app) => configureHttp(app as unknown as Express, { config, services, options, orm, logger, metrics, database }),
    });
    // Colyseus's matchmaker is one per process, and each server that listens starts its 60 s
    // room-count timer over the last one's reference: a second server in this process (tests run
    // several) would leave the first one's timer running for ever. A lone server clears nothing.
    matchMaker.stats.clearAutoPersistInterval();
    await game.listen(config.port, config.host);
    const liveness =
      mode === "redis"
        ? new ProcessLiveness({ presence, visits: services.visits, processId, isAlive: (id) => matchMaker.healthCheckProcessId(id), log })
        : undefined;
    await liveness?.start();
    scale.restoreAfterReconnect((line) => logger.warn({ component: "redis" }, line));
    services.retention.start();
    const control = await startControl(config, orm, logger);
    collectOnce();
    metrics.startLoopMonitor();
    const metricsServer = config.metricsPort !== undefined ? await startMetricsServer(metrics, config.host, config.metricsPort) : undefined;
    const metricsAddress = metricsServer?.address() as AddressInfo | undefined;
    const port = (http.address() as AddressInfo).port;
    const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
    selfUrl = `http://${host}:${port}`;
    return {
      config,
      orm,
      services,
      logger,
      metrics,
      metricsUrl: metricsAddress ? `http://${host}:${metricsAddress.port}/metrics` : undefined,
      http,
      game,
      port,
      url: selfUrl,
      async close() {
        gateway.close();
        metrics.stop();
        metricsServer?.close();
        await liveness?.stop();
        await services.retention.stop();
        await control?.close();
        // When another server in this process already shut the matchmaker down, Colyseus returns
        // at once without closing this server's transport, presence and driver: close them here.
        const alreadyShutDown = matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN;
        await game.gracefullyShutdown(false);
        if (alreadyShutDown) {
          transport.shutdown();
          presence.shutdown();
          await driver.shutdown();
        }
        await new Promise<void>((resolve) => (http.listening ? http.close(() => resolve()) : resolve()));
        await orm.close(true);
      },
    };
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}
