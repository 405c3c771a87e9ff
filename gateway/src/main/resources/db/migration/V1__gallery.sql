-- The gallery's view of the topics. The projection writes it; the offsets it has consumed are stored with it,
-- in the same transaction, so that nothing is counted twice or lost across restarts.

CREATE TABLE projection_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- One row per job: created by its embedding or its result, whichever is read first.
CREATE TABLE jobs (
    job_id         text     PRIMARY KEY,
    batch_id       text     NOT NULL,
    idx            integer  NOT NULL,
    embedded       boolean  NOT NULL DEFAULT false,
    status         text,
    prompt         text,
    seed           bigint,
    image_key      text,
    width          integer,
    height         integer,
    model_version  text,
    clip_model_id  text,
    embed_ms       bigint,
    decode_ms      bigint,
    end_to_end_ms  bigint,
    failure_reason text,
    completed_at   timestamptz,
    towards        jsonb,
    candidates     integer,
    -- English stemming: "cows" finds "cow", "grazing" finds "graze"; stop words are ignored. Angle brackets are
    -- read as spaces: the parser would take "<b>...</b>" for markup and drop what is inside.
    search         tsvector GENERATED ALWAYS AS
                       (to_tsvector('english', translate(coalesce(prompt, ''), '<>', '  '))) STORED
);

-- The gallery lists images (succeeded jobs) newest first, on its own or filtered; keyset pages by (completed_at, job_id).
CREATE INDEX images_newest   ON jobs (completed_at DESC, job_id DESC) WHERE status = 'SUCCEEDED';
CREATE INDEX images_by_batch ON jobs (batch_id, completed_at DESC, job_id DESC) WHERE status = 'SUCCEEDED';
CREATE INDEX images_by_model ON jobs (model_version, completed_at DESC, job_id DESC) WHERE status = 'SUCCEEDED';
CREATE INDEX images_by_seed  ON jobs (seed) WHERE status = 'SUCCEEDED';
-- A small pending list: rows are merged into the index a few hundred at a time as they are written, so that a search
-- right after a large ingest does not scan megabytes of unmerged entries.
CREATE INDEX images_search   ON jobs USING gin (search) WITH (gin_pending_list_limit = 256)
    WHERE status = 'SUCCEEDED';

CREATE TABLE batches (
    batch_id     text        PRIMARY KEY,
    total        integer,
    source       text,
    first_prompt text,
    submitted_at timestamptz,
    cancelled_at timestamptz,
    embedded     integer     NOT NULL DEFAULT 0,
    generated    integer     NOT NULL DEFAULT 0,
    failed       integer     NOT NULL DEFAULT 0,
    cancelled    integer     NOT NULL DEFAULT 0
);

CREATE INDEX batches_newest ON batches (submitted_at DESC, batch_id DESC) WHERE submitted_at IS NOT NULL;

-- Images in the whole gallery, kept by the projection: counting a million rows for every page would not do.
CREATE TABLE gallery_totals (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    images bigint  NOT NULL
);
INSERT INTO gallery_totals VALUES (true, 0);
