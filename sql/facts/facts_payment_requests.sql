-- The payment requests of the 90 days of deliveries ending on D (view payment_requests_raw: payment_requests/date=X,
-- docs/feeds.md), one row per request of a customer on the tape, with the status its newest delivery gives it.
-- * Which deliveries: §3.2 does not say whether a date= folder holds every open request (a snapshot) or the day's
--   changes; both are read the same way, so a request delivered once is never forgotten by the next day's file.
-- * A request is (customer, request_type, effective_date, submitted_at as delivered): the same request delivered again
--   takes the status of its newest folder; in one folder, a status other than `deleted` wins (a pending payment is
--   never cancelled by a row that may be the older one).
-- * Read fail closed: request_type and status trimmed, any case. A status that is not pending/completed/deleted counts
--   as neither deleted nor pending: completed (has_unreadable_status, counted). An effective_date that cannot be read
--   (or is empty) counts as today or later: the payment is pending. A submitted_at whose first 10 characters are not a
--   date counts as D (a completed loan modification then counts as recent). Both counted (has_unreadable_date).
-- * reject_reason (counted, the row is not used): TOO_FEW_FIELDS / TOO_MANY_FIELDS, MISSING_PAYOFFUID,
--   INVALID_PAYOFFUID, INVALID_REQUEST_TYPE (not ONE_TIME_PAYMENT, MANUAL_BILL_PAYMENT or LOAN_MODIFICATION),
--   UNKNOWN_CUSTOMER (no customer on the tape). Rows with a reason are not deduplicated.
WITH requests AS (
  SELECT
    payoffuid,
    upper({{trim_or_empty request_type}}) AS request_type,
    nullif({{trim effective_date}}, '') AS effective_text,
    lower({{trim_or_empty status}}) AS status_text,
    nullif({{trim submitted_at}}, '') AS submitted_text,
    request_date,
    source_file,
    source_line,
    row_problem
  FROM payment_requests_raw
),
keyed AS (
{{fragment customer_key over requests}}
),
tape_customers AS (
  SELECT DISTINCT customer_key FROM facts_loans
),
checked AS (
  SELECT k.*,
    CASE WHEN regexp_like(effective_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try_cast(effective_text AS DATE) END AS effective_day,
    CASE WHEN regexp_like(submitted_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(substr(submitted_text, 1, 10) AS DATE) END AS submitted_day,
    CASE WHEN status_text IN ('pending', 'completed', 'deleted') THEN status_text ELSE 'completed' END AS status,
    coalesce(effective_text, '') AS effective_key,
    coalesce(submitted_text, '') AS submitted_key,
    CASE WHEN status_text = 'deleted' THEN 1 ELSE 0 END AS deleted_last,
    CASE
      WHEN row_problem IS NOT NULL THEN row_problem
      WHEN k.customer_key IS NULL THEN 'MISSING_PAYOFFUID'
      WHEN regexp_like(k.payoffuid, '[[:cntrl:]]') THEN 'INVALID_PAYOFFUID'
      WHEN request_type NOT IN ('ONE_TIME_PAYMENT', 'MANUAL_BILL_PAYMENT', 'LOAN_MODIFICATION') THEN 'INVALID_REQUEST_TYPE'
      WHEN t.customer_key IS NULL THEN 'UNKNOWN_CUSTOMER'
    END AS reject_reason
  FROM keyed k
  LEFT JOIN tape_customers t ON t.customer_key = k.customer_key
),
ranked AS (
  SELECT c.*,
    row_number() OVER (
      PARTITION BY customer_key, request_type, effective_key, submitted_key
      ORDER BY request_date DESC, deleted_last, status
    ) AS delivery_rank
  FROM checked c
  WHERE reject_reason IS NULL
)
SELECT customer_key, request_type, status, effective_day, submitted_day,
  status_text NOT IN ('pending', 'completed', 'deleted') AS has_unreadable_status,
  CASE WHEN request_type = 'LOAN_MODIFICATION' THEN submitted_day IS NULL ELSE effective_day IS NULL END AS has_unreadable_date,
  CAST(NULL AS VARCHAR) AS reject_reason, true AS is_current
FROM ranked
WHERE delivery_rank = 1
UNION ALL
SELECT customer_key, request_type, status, effective_day, submitted_day, false, false, reject_reason, false
FROM checked
WHERE reject_reason IS NOT NULL
UNION ALL
-- Earlier deliveries of a request (counted as superseded, not used).
SELECT customer_key, request_type, status, effective_day, submitted_day, false, false, CAST(NULL AS VARCHAR), false
FROM ranked
WHERE delivery_rank > 1
