-- Prices operators set in place of the catalog's (instance per hour, storage per GiB-month, spot factor).
CREATE TABLE price_override (
    id         TEXT PRIMARY KEY,            -- kind:cloud:region:key
    kind       TEXT             NOT NULL,
    cloud      TEXT             NOT NULL,
    region     TEXT             NOT NULL,   -- '*' for every region of the cloud
    key        TEXT             NOT NULL,
    price      DOUBLE PRECISION NOT NULL,
    note       TEXT,
    updated_by TEXT             NOT NULL,
    updated_at TIMESTAMPTZ      NOT NULL
);

-- One row per closed hourly window: the window was allocated exactly once (the insert decides who does it).
CREATE TABLE cost_window (
    window_start TIMESTAMPTZ PRIMARY KEY,
    window_end   TIMESTAMPTZ      NOT NULL,
    clusters     INTEGER          NOT NULL,
    asset_total  DOUBLE PRECISION NOT NULL,
    computed_at  TIMESTAMPTZ      NOT NULL
);

-- Per pod (and per cluster the idle rest) per closed window.
CREATE TABLE allocation (
    window_start  TIMESTAMPTZ      NOT NULL REFERENCES cost_window (window_start) ON DELETE CASCADE,
    cluster       TEXT             NOT NULL,
    cloud         TEXT             NOT NULL,
    region        TEXT,
    namespace     TEXT             NOT NULL,
    pod           TEXT             NOT NULL,
    workload_kind TEXT,
    workload_name TEXT,
    labels        JSONB            NOT NULL DEFAULT '{}',
    cpu_cost      DOUBLE PRECISION NOT NULL,
    ram_cost      DOUBLE PRECISION NOT NULL,
    gpu_cost      DOUBLE PRECISION NOT NULL,
    pv_cost       DOUBLE PRECISION NOT NULL,
    network_cost  DOUBLE PRECISION NOT NULL,
    shared_cost   DOUBLE PRECISION NOT NULL,
    idle          BOOLEAN          NOT NULL,
    total_cost    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (window_start, cluster, namespace, pod, workload_name)
);
CREATE INDEX allocation_by_cluster ON allocation (cluster, window_start);

-- What each cluster's assets cost per closed window: what the allocations add up to.
CREATE TABLE cluster_asset (
    window_start TIMESTAMPTZ      NOT NULL REFERENCES cost_window (window_start) ON DELETE CASCADE,
    cluster      TEXT             NOT NULL,
    cloud        TEXT             NOT NULL,
    nodes        INTEGER          NOT NULL,
    cpu_cost     DOUBLE PRECISION NOT NULL,
    ram_cost     DOUBLE PRECISION NOT NULL,
    gpu_cost     DOUBLE PRECISION NOT NULL,
    pv_cost      DOUBLE PRECISION NOT NULL,
    network_cost DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (window_start, cluster)
);

-- Cross-cluster traffic per closed window, priced; the month's cross-cloud volume sets the egress tier.
CREATE TABLE traffic (
    window_start          TIMESTAMPTZ      NOT NULL REFERENCES cost_window (window_start) ON DELETE CASCADE,
    source_cluster        TEXT             NOT NULL,
    source_namespace      TEXT             NOT NULL,
    source_workload       TEXT             NOT NULL,
    destination_cluster   TEXT             NOT NULL,
    destination_namespace TEXT             NOT NULL,
    destination_workload  TEXT             NOT NULL,
    crossing              TEXT             NOT NULL,
    bytes                 DOUBLE PRECISION NOT NULL,
    cost                  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (window_start, source_cluster, source_namespace, source_workload,
                 destination_cluster, destination_namespace, destination_workload)
);

-- Monthly budgets of a scope: label:<key>=<value>, cluster:<name> or cloud:<name>.
CREATE TABLE budget (
    id             TEXT PRIMARY KEY,
    name           TEXT             NOT NULL,
    scope          TEXT             NOT NULL,
    monthly_amount DOUBLE PRECISION NOT NULL,
    currency       TEXT             NOT NULL,
    created_by     TEXT             NOT NULL,
    created_at     TIMESTAMPTZ      NOT NULL,
    updated_at     TIMESTAMPTZ      NOT NULL
);

-- Each threshold of a budget is announced once per month: the row and its event commit together.
CREATE TABLE budget_notice (
    budget_id  TEXT             NOT NULL REFERENCES budget (id) ON DELETE CASCADE,
    month      TEXT             NOT NULL,   -- yyyy-MM (UTC)
    threshold  TEXT             NOT NULL,
    spend      DOUBLE PRECISION NOT NULL,
    forecast   DOUBLE PRECISION NOT NULL,
    noticed_at TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (budget_id, month, threshold)
);
