// Generated from docs/openapi.yaml by `RECOVERY_WRITE_DOCS=1 swift test --filter ServerDocumentTests`;
// the test fails when the two differ. Do not edit by hand.
enum OpenAPIDocument {
    static let text = #"""
openapi: 3.1.0
info:
  title: Recovery Ledger API
  version: "1"
  summary: The HTTP API of `recovery serve`.
  description: |
    The HTTP interface of Recovery Ledger, the event-sourced ledger of a city's community
    drug-rehabilitation programme. docs/server.md is the operator's and integrator's guide;
    docs/events.md defines events; docs/cli.md lists the refusal codes.

    Every body is JSON (`application/json`) unless an operation says otherwise. Every route
    under `/v1` requires `Authorization: Bearer TOKEN`; the token's identity has one role
    (`recorder`, `town_office`, `city_office`, `auditor`, `admin`), and the two town-scoped
    roles (`recorder`, `town_office`) also have a list of towns. `x-roles` on each operation
    lists the roles allowed to call it; any other role is answered 403.

    Errors other than 409 and 422 have the body `{"error": CODE, "reason": TEXT}`. The codes:
    `malformed_json` (400, the body is not JSON or not of the required shape), `bad_request`
    (400, a query or path parameter is malformed or out of range), `unauthorized` (401,
    missing or unknown token, with `WWW-Authenticate: Bearer`), `forbidden` (403, the role or
    the town is not allowed), `not_found` (404, unknown participant, unknown identity or
    unknown route), `method_not_allowed` (405, a method the path does not have), `too_large`
    (413, a body over 16 MiB or a batch over 10,000 events), `too_many_attempts` (429, more
    than 10 failed authentications from one client address within a minute; every `/v1`
    request from that address is then refused for a minute, with `Retry-After`),
    `internal` (500, an internal error), `shutting_down` (503, the server is draining),
    `store_unavailable` (503, the store cannot serve: damaged, no space left, permission
    denied), `busy` (503, more than 100,000 events wait for the writer; with `Retry-After`).
    Nothing of a request answered 500 or 503 was committed. 409 and 422 carry the
    refusal document (`ConflictDocument`, `RejectedDocument`).

    Seqs, counts and versions are JSON integers. Dates are `YYYY-MM-DD`; times are RFC 3339
    (the server writes UTC with milliseconds, `2022-03-01T01:30:00.000Z`).
  license:
    name: See the repository
servers:
  - url: /
tags:
  - name: events
    description: Appending events.
  - name: participants
    description: One participant's state, events and audit.
  - name: reports
    description: Alerts and statistics.
  - name: rules
    description: The behaviour-conduct points rules.
  - name: audit
    description: The whole log, its verification and its head.
  - name: access
    description: Identities, roles and the access log.
  - name: proofs
    description: Signed checkpoints, inclusion and consistency proofs (docs/proofs.md).
  - name: operations
    description: Health, metrics and this document.
security:
  - bearerAuth: []

paths:
  /v1/events:
    post:
      operationId: appendEvents
      tags: [events]
      summary: Append one event, or a batch of events atomically.
      description: |
        The body is one event object, or `{"events": [...]}` (no other member) with 1 to
        10,000 event objects appended atomically: every new event lands, or none does. A body
        that is not JSON, not an object, a batch with another member, an empty batch or an
        element that is not an object is 400 `malformed_json`; more than 10,000 elements is 413. Event objects follow
        docs/events.md, with two differences: `actor` is optional and, when present, must
        equal the caller's identity (else 422, code `actor.mismatch`), since the server stamps
        the caller's identity as `actor`; and `expect_version` (optional) refuses the event
        unless the participant's stream holds exactly that many events before it (409, code
        `version.conflict`). An event whose `id` is already in the ledger with identical
        content is a duplicate: nothing is appended and its existing seq is returned.

        `recorder` and `town_office`: an `enrolled` event must name one of their towns, and any
        other event's participant, if they have a current town (as the events before it in
        the same request leave it), must be in one of their towns; otherwise 403 (the reason
        names the event's index) and nothing is appended.

        Responses: 201 when something was appended; 200 when the single event, or every event
        of the batch, was a duplicate. 409 when any refusal is `id.conflict` or
        `version.conflict`, else 422; nothing is appended in either case.
      x-roles: [recorder, town_office, city_office]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: "#/components/schemas/NewEvent"
                - $ref: "#/components/schemas/EventBatch"
      responses:
        "201":
          description: Appended.
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: "#/components/schemas/Appended"
                  - $ref: "#/components/schemas/BatchAppended"
        "200":
          description: Nothing appended; the single event, or every event of the batch, was a duplicate.
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: "#/components/schemas/Duplicate"
                  - $ref: "#/components/schemas/BatchDuplicate"
        "400":
          $ref: "#/components/responses/MalformedJSON"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "409":
          $ref: "#/components/responses/Conflict"
        "413":
          $ref: "#/components/responses/TooLarge"
        "422":
          $ref: "#/components/responses/Rejected"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/participants/{id}:
    get:
      operationId: getParticipant
      tags: [participants]
      summary: A participant's current state.
      description: |
        `recorder` and `town_office` only for participants whose current town is one of
        theirs (403 otherwise).
      x-roles: [recorder, town_office, city_office, auditor]
      parameters:
        - $ref: "#/components/parameters/ParticipantId"
      responses:
        "200":
          description: The participant's state.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Participant"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/participants/{id}/events:
    get:
      operationId: getParticipantEvents
      tags: [participants]
      summary: A participant's events in seq order, a page at a time.
      description: |
        Events of the participant's stream with seq ≥ `from`, at most `limit` of them. Each
        is one line of `recovery log --format jsonl`. `next_from` is the `from` to ask for
        the next page, null when there is no more. Scope as for `GET /v1/participants/{id}`.
      x-roles: [recorder, town_office, city_office, auditor]
      parameters:
        - $ref: "#/components/parameters/ParticipantId"
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/Limit"
      responses:
        "200":
          description: A page of the participant's events.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ParticipantEventsPage"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/participants/{id}/audit:
    get:
      operationId: getParticipantAudit
      tags: [participants]
      summary: The participant's history replayed from the log (`recovery audit --json`).
      description: |
        The document of `recovery audit P --json`. With `at_seq`, the ledger as it stood at
        that seq (404 when the participant has no event up to it). Unlike the command, an
        inconsistent projection is not an error: the document says `"consistent": false`.
        Scope as for `GET /v1/participants/{id}`.
      x-roles: [recorder, town_office, city_office, auditor]
      parameters:
        - $ref: "#/components/parameters/ParticipantId"
        - name: at_seq
          in: query
          required: false
          description: Replay the ledger as it stood at this seq.
          schema:
            $ref: "#/components/schemas/PositiveSeq"
      responses:
        "200":
          description: The audit document.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Audit"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/participants/{id}/receipt:
    get:
      operationId: getParticipantReceipt
      tags: [participants, proofs]
      summary: A receipt of the participant's history (`recovery receipt --json`).
      description: |
        Every event of the participant with its inclusion proof under a checkpoint signed now
        (docs/proofs.md §4.1, `proof: receipt`); anyone with the ledger's public key can check
        it. Scope as for `GET /v1/participants/{id}`; recorded in the access log.
      x-roles: [recorder, town_office, city_office, auditor]
      parameters:
        - $ref: "#/components/parameters/ParticipantId"
      responses:
        "200":
          description: The receipt.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/InclusionProof"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/alerts:
    get:
      operationId: getAlerts
      tags: [reports]
      summary: Participants who need action on a day (`recovery alerts --format json`).
      description: |
        `recorder` and `town_office` see only their towns' alerts; a `town` outside their
        towns is 403. A `town` the city does not have is 400. Without `as_of`, today in
        Asia/Shanghai.
      x-roles: [recorder, town_office, city_office, auditor]
      parameters:
        - name: as_of
          in: query
          required: false
          description: The local day (Asia/Shanghai), `YYYY-MM-DD`.
          schema:
            $ref: "#/components/schemas/Date"
        - name: town
          in: query
          required: false
          description: Only this town.
          schema:
            $ref: "#/components/schemas/TownId"
      responses:
        "200":
          description: The alerts.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Alerts"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/stats:
    get:
      operationId: getStats
      tags: [reports]
      summary: The yearly figures (`recovery stats --format json` or `csv`).
      description: |
        The document of `recovery stats --format json` (docs/statistics.md). For
        `town_office`, `city` is null and `towns` holds only their towns; a `town` outside
        their towns is 403. A `town` the city does not have is 400. `known_at` and `at_seq`
        together are 400. With `Accept: text/csv` the answer is the CSV of
        `recovery stats --format csv` (for `town_office`, without the `city` row).
      x-roles: [town_office, city_office, auditor]
      parameters:
        - name: year
          in: query
          required: true
          description: The year (local dates Y-01-01 … Y-12-31).
          schema:
            type: integer
            minimum: 2
            maximum: 9998
        - name: as_of
          in: query
          required: false
          description: The local day on which states are taken (default Y-12-31).
          schema:
            $ref: "#/components/schemas/Date"
        - name: known_at
          in: query
          required: false
          description: Only events recorded by this time (RFC 3339 with an offset). Not with `at_seq`.
          schema:
            type: string
            format: date-time
        - name: at_seq
          in: query
          required: false
          description: Only events with seq ≤ N. Not with `known_at`.
          schema:
            $ref: "#/components/schemas/Seq"
        - name: town
          in: query
          required: false
          description: Narrow `towns` to this one (`city` stays whole).
          schema:
            $ref: "#/components/schemas/TownId"
      responses:
        "200":
          description: The figures.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Statistics"
            text/csv:
              schema:
                type: string
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/rules:
    get:
      operationId: getRules
      tags: [rules]
      summary: The adopted points rules (`recovery rules show --format json`).
      x-roles: [recorder, town_office, city_office, auditor]
      responses:
        "200":
          description: The adopted rules.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Rules"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/rules/diff:
    post:
      operationId: diffRules
      tags: [rules]
      summary: Whose balance adopting a rules document would change; changes nothing.
      description: |
        422 `rules.invalid` (field `document`) when the document does not parse or breaks the
        rules' checks (docs/rules.md), `data.missing` when `document` is absent or not a
        string. Other members are ignored.
      x-roles: [city_office]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/RulesDiffRequest"
      responses:
        "200":
          description: The balances that would change.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/RulesDiff"
        "400":
          $ref: "#/components/responses/MalformedJSON"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "413":
          $ref: "#/components/responses/TooLarge"
        "422":
          $ref: "#/components/responses/Rejected"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/rules/adopt:
    post:
      operationId: adoptRules
      tags: [rules]
      summary: Adopt a rules document and rebuild the projections, atomically.
      description: |
        The caller's identity is recorded as the adopting actor, with `reason`. 422 as for
        `/v1/rules/diff`, or (field `reason`) `data.missing` when `reason` is absent or not a
        string, `data.length` when it is not 1–200 characters, `privacy.identifier`.
      x-roles: [city_office]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/RulesAdoptRequest"
      responses:
        "201":
          description: Adopted; the balances that changed.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/RulesDiff"
        "400":
          $ref: "#/components/responses/MalformedJSON"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "413":
          $ref: "#/components/responses/TooLarge"
        "422":
          $ref: "#/components/responses/Rejected"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/log:
    get:
      operationId: getLog
      tags: [audit]
      summary: Every event of every stream in seq order, a page at a time.
      description: |
        Every stream, the system streams `_rules` and `_access` included. Each event is one
        line of `recovery log --format jsonl`. `next_from` is the `from` to ask for the next
        page, null when there is no more.
      x-roles: [auditor]
      parameters:
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/Limit"
      responses:
        "200":
          description: A page of the log.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/LogPage"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/verify:
    get:
      operationId: verify
      tags: [audit]
      summary: Recompute the chain and check the indexes (`recovery verify --json`).
      description: |
        Always 200: `ok` says whether the store verified. The access log's records are
        checked too and counted in `access_records`.
      x-roles: [auditor]
      responses:
        "200":
          description: The verification report.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Verification"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/head:
    get:
      operationId: getHead
      tags: [audit]
      summary: The last seq, its chain hash and when it was recorded.
      x-roles: [auditor]
      responses:
        "200":
          description: The head of the log.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Head"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/checkpoint:
    get:
      operationId: getCheckpoint
      tags: [proofs]
      summary: The signed checkpoint of the ledger's current Merkle tree (`recovery checkpoint --json`).
      description: |
        A C2SP `tlog-checkpoint` signed as a C2SP signed note with the ledger's Ed25519 key
        (docs/proofs.md §3), with its size and root. 503 `no_signing_key` when the store has
        no key.
      x-roles: [city_office, auditor]
      responses:
        "200":
          description: The checkpoint.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Checkpoint"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/proofs/inclusion:
    get:
      operationId: getInclusionProof
      tags: [proofs]
      summary: The event at `seq`, its audit path, and the signed checkpoint of the tree of `size` events.
      description: |
        The inclusion proof document of docs/proofs.md §4.1 (`recovery prove inclusion --json`).
        Without `size`, the current tree. 404 when `size` exceeds the log or `seq` exceeds
        `size`.
      x-roles: [auditor]
      parameters:
        - name: seq
          in: query
          required: true
          description: The event's seq.
          schema:
            $ref: "#/components/schemas/PositiveSeq"
        - name: size
          in: query
          required: false
          description: The tree size to prove against (default the current one).
          schema:
            $ref: "#/components/schemas/PositiveSeq"
      responses:
        "200":
          description: The inclusion proof.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/InclusionProof"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/proofs/consistency:
    get:
      operationId: getConsistencyProof
      tags: [proofs]
      summary: The consistency path between the trees of `from` and `to` events, with both signed checkpoints.
      description: |
        The consistency proof document of docs/proofs.md §4.2 (`recovery prove consistency
        --json`). Without `to`, the current tree. 404 when a size exceeds the log; 400 when
        `from` is larger than `to`.
      x-roles: [auditor]
      parameters:
        - name: from
          in: query
          required: true
          description: The earlier tree size.
          schema:
            $ref: "#/components/schemas/Seq"
        - name: to
          in: query
          required: false
          description: The later tree size (default the current one).
          schema:
            $ref: "#/components/schemas/Seq"
      responses:
        "200":
          description: The consistency proof.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ConsistencyProof"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/access-log:
    get:
      operationId: getAccessLog
      tags: [access]
      summary: Who read which participants' and towns' data, and when.
      description: |
        Access records in seq order (their own sequence), with seq ≥ `from`, filtered by
        `actor`, `participant` and `since` (records at or after that time), at most `limit`.
        `next_from` is the `from` to ask for the next page with the same filters, null when
        there is no more.
      x-roles: [auditor, admin]
      parameters:
        - name: actor
          in: query
          required: false
          description: Only records of this identity.
          schema:
            $ref: "#/components/schemas/IdentityName"
        - name: participant
          in: query
          required: false
          description: Only records that name this participant.
          schema:
            $ref: "#/components/schemas/ParticipantIdValue"
        - name: since
          in: query
          required: false
          description: Only records at or after this time (RFC 3339 with an offset).
          schema:
            type: string
            format: date-time
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/Limit"
      responses:
        "200":
          description: A page of the access log.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/AccessLogPage"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/access:
    get:
      operationId: listIdentities
      tags: [access]
      summary: The identities in force (never a token or its digest).
      x-roles: [admin]
      responses:
        "200":
          description: The active identities.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/IdentityList"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/access/grant:
    post:
      operationId: grantAccess
      tags: [access]
      summary: Grant an identity a role (and towns); returns its token, once.
      description: |
        `towns` is required and non-empty for `recorder` and `town_office`, and must be
        empty or absent for the other roles; they are kept in the city's order, each once. A
        grant to an identity that already holds one replaces it: the earlier token stops
        working. The token is returned only here; the ledger keeps only its SHA-256. 422
        codes: `data.missing` (field `identity`, absent or not a string), `access.identity`
        (field `identity`), `data.not_a_choice` (field `role`, absent or not a role),
        `access.towns` (field `towns`), `privacy.identifier`. Other members are ignored.
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/GrantRequest"
      responses:
        "201":
          description: Granted.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Grant"
        "400":
          $ref: "#/components/responses/MalformedJSON"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "413":
          $ref: "#/components/responses/TooLarge"
        "422":
          $ref: "#/components/responses/Rejected"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /v1/access/revoke:
    post:
      operationId: revokeAccess
      tags: [access]
      summary: Revoke an identity; its token stops working at once.
      description: |
        404 when the identity is unknown or already revoked. 422 `data.missing` (field
        `identity`) when `identity` is absent or not a string. Other members are ignored.
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/RevokeRequest"
      responses:
        "200":
          description: Revoked.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Revoked"
        "400":
          $ref: "#/components/responses/MalformedJSON"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "413":
          $ref: "#/components/responses/TooLarge"
        "422":
          $ref: "#/components/responses/Rejected"
        "429":
          $ref: "#/components/responses/TooManyAttempts"
        "500":
          $ref: "#/components/responses/Internal"
        "503":
          $ref: "#/components/responses/Unavailable"

  /healthz:
    get:
      operationId: health
      tags: [operations]
      summary: Liveness; 503 `shutting_down` while the server drains.
      security: []
      responses:
        "200":
          description: Serving.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Health"
        "503":
          $ref: "#/components/responses/Unavailable"

  /metrics:
    get:
      operationId: metrics
      tags: [operations]
      summary: Prometheus metrics (text exposition format 0.0.4).
      security: []
      responses:
        "200":
          description: The metrics.
          content:
            text/plain; version=0.0.4:
              schema:
                type: string
        "503":
          $ref: "#/components/responses/Unavailable"

  /openapi.yaml:
    get:
      operationId: openapi
      tags: [operations]
      summary: This document.
      security: []
      responses:
        "200":
          description: The OpenAPI document.
          content:
            application/yaml:
              schema:
                type: string
        "503":
          $ref: "#/components/responses/Unavailable"

components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
      description: |
        A token printed once by `recovery access grant` or returned once by
        `POST /v1/access/grant` (`rl_` and 43 characters of base64url).

  parameters:
    ParticipantId:
      name: id
      in: path
      required: true
      description: The participant id (1–32 characters of A-Z a-z 0-9 -).
      schema:
        $ref: "#/components/schemas/ParticipantIdValue"
    From:
      name: from
      in: query
      required: false
      description: The first seq to return (default 1).
      schema:
        type: integer
        minimum: 1
        maximum: 9223372036854775807
        default: 1
    Limit:
      name: limit
      in: query
      required: false
      description: The most items to return (default 100).
      schema:
        type: integer
        minimum: 1
        maximum: 1000
        default: 100

  headers:
    WWWAuthenticate:
      description: Always `Bearer`.
      required: true
      schema:
        type: string
        pattern: "^Bearer"
    RetryAfter:
      description: Seconds until this client address may try again.
      required: true
      schema:
        type: integer
        minimum: 0
        maximum: 60

  responses:
    BadRequest:
      description: A query or path parameter is malformed or out of range.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/BadRequestError"
    MalformedJSON:
      description: The body is not JSON, or not of the required shape.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/MalformedJSONError"
    Unauthorized:
      description: No token, a malformed `Authorization` header, or a token no identity holds.
      headers:
        WWW-Authenticate:
          $ref: "#/components/headers/WWWAuthenticate"
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/UnauthorizedError"
    Forbidden:
      description: The caller's role may not use this operation, or the participant or town is outside the caller's towns.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/ForbiddenError"
    NotFound:
      description: Unknown participant, unknown or already revoked identity, or unknown route.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/NotFoundError"
    MethodNotAllowed:
      description: The path exists but does not have this method.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/MethodNotAllowedError"
    TooLarge:
      description: The body is over 16 MiB, or the batch holds more than 10,000 events.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/TooLargeError"
    TooManyAttempts:
      description: More than 10 failed authentications from this client address within a minute.
      headers:
        Retry-After:
          $ref: "#/components/headers/RetryAfter"
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/TooManyAttemptsError"
    Internal:
      description: An internal error; nothing of the request was committed; the server's log has the details.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/InternalError"
    Unavailable:
      description: "`shutting_down`: the server is draining after SIGTERM or SIGINT; `store_unavailable`: the store cannot serve (damaged, no space left, permission denied); `busy`: more than 100,000 events wait for the writer, retry after `Retry-After` seconds; nothing of the request was committed."
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/UnavailableError"
    Conflict:
      description: Refused, nothing appended; at least one refusal is `id.conflict` or `version.conflict`.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/ConflictDocument"
    Rejected:
      description: Refused, nothing changed.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/RejectedDocument"

  schemas:
    # ---------------------------------------------------------------- errors
    BadRequestError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: bad_request
        reason:
          type: string
    MalformedJSONError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: malformed_json
        reason:
          type: string
    UnauthorizedError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: unauthorized
        reason:
          type: string
    ForbiddenError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: forbidden
        reason:
          type: string
    NotFoundError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: not_found
        reason:
          type: string
    MethodNotAllowedError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: method_not_allowed
        reason:
          type: string
    TooLargeError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: too_large
        reason:
          type: string
    TooManyAttemptsError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: too_many_attempts
        reason:
          type: string
    InternalError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          const: internal
        reason:
          type: string
    UnavailableError:
      type: object
      additionalProperties: false
      required: [error, reason]
      properties:
        error:
          enum: [shutting_down, store_unavailable, busy, no_signing_key, no_tree]
        reason:
          type: string
    ConflictDocument:
      type: object
      additionalProperties: false
      required: [error, total, errors]
      properties:
        error:
          const: conflict
        total:
          description: Every refusal, counted.
          type: integer
          minimum: 1
        errors:
          description: The first refusals (at most 20).
          type: array
          minItems: 1
          maxItems: 20
          items:
            $ref: "#/components/schemas/RefusalEntry"
    RejectedDocument:
      type: object
      additionalProperties: false
      required: [error, total, errors]
      properties:
        error:
          const: rejected
        total:
          description: Every refusal, counted.
          type: integer
          minimum: 1
        errors:
          description: The first refusals (at most 20).
          type: array
          minItems: 1
          maxItems: 20
          items:
            $ref: "#/components/schemas/RefusalEntry"
    RefusalEntry:
      type: object
      additionalProperties: false
      required: [index, field, code, reason]
      properties:
        index:
          description: The 0-based position of the event in the request (0 for a single event or a non-event body).
          type: integer
          minimum: 0
          maximum: 9999
        field:
          description: The field at fault (`data.town`), or null when the event as a whole is wrong.
          type: [string, "null"]
        code:
          $ref: "#/components/schemas/RefusalCode"
        reason:
          description: For people; programs match `code`.
          type: string
    RefusalCode:
      description: The ledger's refusal codes (docs/cli.md, "Refusals") and the server's own.
      type: string
      enum:
        - id.conflict
        - version.conflict
        - json.syntax
        - line.too_long
        - envelope.unknown_field
        - envelope.missing
        - envelope.type
        - envelope.invalid
        - at.invalid
        - data.too_large
        - type.unknown
        - data.missing
        - data.type
        - data.length
        - data.out_of_range
        - data.not_a_choice
        - data.unknown_town
        - data.unknown_field
        - privacy.identifier
        - at.future
        - at.before_enrolment
        - at.before_measure_end
        - at.before_placement
        - participant.not_registered
        - participant.already_under_measure
        - participant.not_under_measure
        - participant.already_employed
        - participant.not_employed
        - points.insufficient
        - void.unknown_target
        - void.other_participant
        - void.not_voidable
        - void.already_voided
        - void.has_dependents
        - actor.mismatch
        - rules.invalid
        - access.identity
        - access.towns

    # ---------------------------------------------------------------- values
    Seq:
      type: integer
      minimum: 0
      maximum: 9223372036854775807
    PositiveSeq:
      type: integer
      minimum: 1
      maximum: 9223372036854775807
    Date:
      description: A date `YYYY-MM-DD`.
      type: string
      format: date
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    Time:
      description: An RFC 3339 time.
      type: string
      format: date-time
    Hash:
      description: A chain hash, 64 lower-case hexadecimal digits.
      type: string
      pattern: "^[0-9a-f]{64}$"
    ParticipantIdValue:
      type: string
      pattern: "^[A-Za-z0-9-]{1,32}$"
    TownId:
      description: A town id of the ledger's city (Enping's are encheng, hengpi, shengtang, liangxi, shahu, niujiang, juntang, datian, naji, dahuai, dongcheng).
      type: string
      pattern: "^[a-z0-9-]{1,32}$"
    IdentityName:
      type: string
      pattern: "^[A-Za-z0-9._@-]{1,64}$"
    Role:
      type: string
      enum: [recorder, town_office, city_office, auditor, admin]
    Program:
      type: string
      enum: [community_detox, community_rehab]
    Text:
      description: 1–200 Unicode code points.
      type: string
      minLength: 1
      maxLength: 200

    # ---------------------------------------------------------------- new events
    EventId:
      description: The idempotency key; absent, the ledger assigns a random UUID.
      type: string
      pattern: "^[A-Za-z0-9._:-]{1,128}$"
    EventAt:
      description: RFC 3339 with an offset, or a date meaning 00:00 in Asia/Shanghai; years 0001–9999; at most 24 hours after the ledger's clock.
      anyOf:
        - type: string
          format: date-time
        - type: string
          format: date
    EventActor:
      description: If present, the caller's identity (the server stamps it anyway).
      type: string
      pattern: "^[A-Za-z0-9._@-]{1,64}$"
    ExpectVersion:
      description: Refuse unless the participant's stream holds exactly this many events before this one (409 `version.conflict`); not an integer from 0 to 2147483647, 422 `envelope.type`.
      type: integer
      minimum: 0
      maximum: 2147483647
    NewEvent:
      description: One event (docs/events.md), by type.
      oneOf:
        - $ref: "#/components/schemas/NewEnrolled"
        - $ref: "#/components/schemas/NewMeasureEnded"
        - $ref: "#/components/schemas/NewDeregistered"
        - $ref: "#/components/schemas/NewCheckIn"
        - $ref: "#/components/schemas/NewTestResult"
        - $ref: "#/components/schemas/NewTrainingAttended"
        - $ref: "#/components/schemas/NewEducationCompleted"
        - $ref: "#/components/schemas/NewPointsAdjusted"
        - $ref: "#/components/schemas/NewPointsRedeemed"
        - $ref: "#/components/schemas/NewAidPaid"
        - $ref: "#/components/schemas/NewJobPlaced"
        - $ref: "#/components/schemas/NewJobEnded"
        - $ref: "#/components/schemas/NewEmployerSubsidyPaid"
        - $ref: "#/components/schemas/NewInsuranceEnrolled"
        - $ref: "#/components/schemas/NewVoided"
        - $ref: "#/components/schemas/NewTransferred"
    EventBatch:
      type: object
      additionalProperties: false
      required: [events]
      properties:
        events:
          type: array
          minItems: 1
          maxItems: 10000
          items:
            $ref: "#/components/schemas/NewEvent"
    NewEnrolled:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: enrolled}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [program, town, employable]
          properties:
            program: {$ref: "#/components/schemas/Program"}
            town: {$ref: "#/components/schemas/TownId"}
            employable: {type: boolean}
    NewMeasureEnded:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: measure_ended}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [reason]
          properties:
            reason: {enum: [completed, compulsory_isolation]}
    NewDeregistered:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: deregistered}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [reason]
          properties:
            reason: {enum: [moved_away, deceased, removed]}
    NewCheckIn:
      type: object
      additionalProperties: false
      required: [type, participant, at]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: check_in}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          properties:
            channel:
              description: Default `in_person`.
              enum: [in_person, online]
    NewTestResult:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: test_result}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [result]
          properties:
            result: {enum: [negative, positive, refused]}
            method:
              description: How the sample was taken (urine, hair, …); absent means urine.
              allOf:
                - $ref: "#/components/schemas/Text"
    NewTrainingAttended:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: training_attended}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [kind]
          properties:
            kind: {enum: [vocational, agricultural]}
    NewEducationCompleted:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: education_completed}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [course]
          properties:
            course: {$ref: "#/components/schemas/Text"}
    NewPointsAdjusted:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: points_adjusted}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [delta, reason]
          properties:
            delta:
              description: Non-zero.
              type: integer
              minimum: -1000
              maximum: 1000
              not: {const: 0}
            reason: {$ref: "#/components/schemas/Text"}
    NewPointsRedeemed:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: points_redeemed}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [points, item]
          properties:
            points:
              type: integer
              minimum: 1
              maximum: 100000
            item: {$ref: "#/components/schemas/Text"}
    NewAidPaid:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: aid_paid}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [kind, amount_fen]
          properties:
            kind: {enum: [subsistence, temporary]}
            amount_fen: {$ref: "#/components/schemas/AmountFen"}
    NewJobPlaced:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: job_placed}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [kind, employer]
          properties:
            kind: {enum: [enterprise, self_employment, public_welfare]}
            employer: {$ref: "#/components/schemas/Text"}
    NewJobEnded:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: job_ended}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [reason]
          properties:
            reason: {$ref: "#/components/schemas/Text"}
    NewEmployerSubsidyPaid:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: employer_subsidy_paid}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [employer, amount_fen]
          properties:
            employer: {$ref: "#/components/schemas/Text"}
            amount_fen: {$ref: "#/components/schemas/AmountFen"}
    NewInsuranceEnrolled:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: insurance_enrolled}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [kind]
          properties:
            kind: {enum: [social, medical]}
    NewVoided:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: voided}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [event, reason]
          properties:
            event:
              description: The `id` of an earlier event of the same participant.
              allOf:
                - $ref: "#/components/schemas/Text"
            reason: {$ref: "#/components/schemas/Text"}
    NewTransferred:
      type: object
      additionalProperties: false
      required: [type, participant, at, data]
      properties:
        id: {$ref: "#/components/schemas/EventId"}
        type: {const: transferred}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        at: {$ref: "#/components/schemas/EventAt"}
        actor: {$ref: "#/components/schemas/EventActor"}
        expect_version: {$ref: "#/components/schemas/ExpectVersion"}
        data:
          type: object
          additionalProperties: false
          required: [town]
          properties:
            town: {$ref: "#/components/schemas/TownId"}
    AmountFen:
      description: Integer fen (1 yuan = 100 fen).
      type: integer
      minimum: 1
      maximum: 1000000000

    # ---------------------------------------------------------------- append results
    Appended:
      type: object
      additionalProperties: false
      required: [seq, duplicate]
      properties:
        seq: {$ref: "#/components/schemas/PositiveSeq"}
        duplicate: {const: false}
    Duplicate:
      type: object
      additionalProperties: false
      required: [seq, duplicate]
      properties:
        seq:
          description: The seq of the event already in the ledger.
          allOf:
            - $ref: "#/components/schemas/PositiveSeq"
        duplicate: {const: true}
    BatchAppended:
      type: object
      additionalProperties: false
      required: [appended, duplicates, first_seq, last_seq]
      properties:
        appended:
          type: integer
          minimum: 1
          maximum: 10000
        duplicates:
          type: integer
          minimum: 0
          maximum: 9999
        first_seq: {$ref: "#/components/schemas/PositiveSeq"}
        last_seq: {$ref: "#/components/schemas/PositiveSeq"}
    BatchDuplicate:
      type: object
      additionalProperties: false
      required: [appended, duplicates, first_seq, last_seq]
      properties:
        appended: {const: 0}
        duplicates:
          type: integer
          minimum: 1
          maximum: 10000
        first_seq: {type: "null"}
        last_seq: {type: "null"}

    # ---------------------------------------------------------------- participants
    Participant:
      type: object
      additionalProperties: false
      required: [participant, registered, under_measure, program, town, employed, balance, version, head_seq]
      properties:
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        registered: {type: boolean}
        under_measure: {type: boolean}
        program:
          description: The programme of the latest enrolment; null when there is none.
          type: [string, "null"]
          enum: [community_detox, community_rehab, null]
        town:
          description: The current town; null when there is none.
          type: [string, "null"]
        employed: {type: boolean}
        balance:
          description: Behaviour-conduct points.
          type: integer
        version:
          description: Events in the participant's stream (what `expect_version` compares with).
          type: integer
          minimum: 0
        head_seq:
          description: The ledger's last seq when the state was read.
          allOf:
            - $ref: "#/components/schemas/Seq"
    LoggedEvent:
      description: One line of `recovery log --format jsonl`.
      type: object
      additionalProperties: false
      required: [seq, id, type, participant, at, actor, data, recorded_at, hash, record]
      properties:
        seq: {$ref: "#/components/schemas/PositiveSeq"}
        id: {type: string}
        type: {type: string}
        participant:
          description: The stream; `_rules` and `_access` are the system streams.
          type: string
        at: {$ref: "#/components/schemas/Time"}
        actor: {type: string}
        data: {type: object}
        recorded_at: {$ref: "#/components/schemas/Time"}
        hash: {$ref: "#/components/schemas/Hash"}
        record:
          description: Base64 of the stored binary record (docs/format.md).
          type: string
          contentEncoding: base64
          pattern: "^[A-Za-z0-9+/]*={0,2}$"
    ParticipantEventsPage:
      type: object
      additionalProperties: false
      required: [participant, events, next_from]
      properties:
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        events:
          type: array
          maxItems: 1000
          items:
            $ref: "#/components/schemas/LoggedEvent"
        next_from:
          description: The `from` of the next page; null when there is no more.
          type: [integer, "null"]
          minimum: 1
    LogPage:
      type: object
      additionalProperties: false
      required: [events, next_from]
      properties:
        events:
          type: array
          maxItems: 1000
          items:
            $ref: "#/components/schemas/LoggedEvent"
        next_from:
          description: The `from` of the next page; null when there is no more.
          type: [integer, "null"]
          minimum: 1
    Audit:
      description: The document of `recovery audit --json`.
      type: object
      additionalProperties: false
      required: [participant, events, balance, projection_balance, consistent, head_seq, head_hash]
      properties:
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        events:
          type: array
          items:
            $ref: "#/components/schemas/AuditRow"
        balance:
          description: The balance the replay arrives at.
          type: integer
        projection_balance:
          description: The stored projection's balance; null when the replay was cut at an earlier seq.
          type: [integer, "null"]
        consistent: {type: boolean}
        head_seq: {$ref: "#/components/schemas/Seq"}
        head_hash: {$ref: "#/components/schemas/Hash"}
    AuditRow:
      type: object
      additionalProperties: false
      required: [seq, id, type, at, actor, data, rule_version, delta, balance, voided_by]
      properties:
        seq: {$ref: "#/components/schemas/PositiveSeq"}
        id: {type: string}
        type: {type: string}
        at: {$ref: "#/components/schemas/Time"}
        actor: {type: string}
        data: {type: object}
        rule_version:
          description: The name of the rules version that priced the event; null when none did.
          type: [string, "null"]
        delta: {type: integer}
        balance: {type: integer}
        voided_by:
          description: The id of the `voided` event that cancels this one, or null.
          type: [string, "null"]

    # ---------------------------------------------------------------- reports
    Alerts:
      description: The document of `recovery alerts --format json`.
      type: object
      additionalProperties: false
      required: [as_of, alerts]
      properties:
        as_of: {$ref: "#/components/schemas/Date"}
        alerts:
          type: array
          items:
            $ref: "#/components/schemas/Alert"
    Alert:
      description: "`level` and `days_overdue` are present for `contact` only."
      type: object
      additionalProperties: false
      required: [participant, town, kind, since]
      properties:
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        town: {$ref: "#/components/schemas/TownId"}
        kind:
          enum: [contact, serious_violation, relapse_report]
        level:
          enum: [late, suspected_lost_contact, lost_contact]
        since: {$ref: "#/components/schemas/Date"}
        days_overdue:
          type: integer
          minimum: 1
    Statistics:
      description: The document of `recovery stats --format json` (docs/statistics.md).
      type: object
      additionalProperties: false
      required: [year, as_of, head_seq, city, towns]
      properties:
        year:
          type: integer
          minimum: 2
          maximum: 9998
        as_of: {$ref: "#/components/schemas/Date"}
        head_seq: {$ref: "#/components/schemas/Seq"}
        city:
          description: The whole city's figures; null for `town_office`.
          anyOf:
            - $ref: "#/components/schemas/Figures"
            - type: "null"
        towns:
          description: Figures per town id, in the city's order.
          type: object
          propertyNames: {$ref: "#/components/schemas/TownId"}
          additionalProperties:
            $ref: "#/components/schemas/Figures"
    Rate:
      description: Rounded to 4 decimals; null when its denominator is 0.
      type: [number, "null"]
    Count:
      type: integer
      minimum: 0
    PerProgram:
      type: object
      additionalProperties: false
      required: [community_detox, community_rehab]
      properties:
        community_detox: {$ref: "#/components/schemas/Count"}
        community_rehab: {$ref: "#/components/schemas/Count"}
    Relapse:
      type: object
      additionalProperties: false
      required: [participants, relapsed, rate, relapse_change]
      properties:
        participants: {$ref: "#/components/schemas/Count"}
        relapsed: {$ref: "#/components/schemas/Count"}
        rate: {$ref: "#/components/schemas/Rate"}
        relapse_change:
          description: (rate(Y) − rate(Y−1)) / rate(Y−1); null when either rate is null or rate(Y−1) is 0.
          type: [number, "null"]
    Aid:
      type: object
      additionalProperties: false
      required: [recipients, amount_fen]
      properties:
        recipients: {$ref: "#/components/schemas/Count"}
        amount_fen: {$ref: "#/components/schemas/Count"}
    Figures:
      type: object
      additionalProperties: false
      required:
        - registered
        - registered_by_program
        - under_measure
        - employable
        - employed
        - employment_rate
        - insured
        - insurance_rate
        - abstinent_3y
        - abstinent_3y_rate
        - abstinent_3y_change
        - relapse
        - consolidation
        - new_enrollments
        - new_enrollments_change
        - aid
        - placements
        - employer_subsidies_fen
        - training
        - points
        - overdue
      properties:
        registered: {$ref: "#/components/schemas/Count"}
        registered_by_program: {$ref: "#/components/schemas/PerProgram"}
        under_measure: {$ref: "#/components/schemas/PerProgram"}
        employable: {$ref: "#/components/schemas/Count"}
        employed: {$ref: "#/components/schemas/Count"}
        employment_rate: {$ref: "#/components/schemas/Rate"}
        insured: {$ref: "#/components/schemas/Count"}
        insurance_rate: {$ref: "#/components/schemas/Rate"}
        abstinent_3y: {$ref: "#/components/schemas/Count"}
        abstinent_3y_rate: {$ref: "#/components/schemas/Rate"}
        abstinent_3y_change:
          description: (s(Y) − s(Y−1)) / s(Y−1), s = abstinent_3y / registered, s(Y−1) as of Y−1's 31 December; null when either share is null or s(Y−1) is 0.
          type: [number, "null"]
        relapse:
          type: object
          additionalProperties: false
          required: [community_detox, community_rehab]
          properties:
            community_detox: {$ref: "#/components/schemas/Relapse"}
            community_rehab: {$ref: "#/components/schemas/Relapse"}
        consolidation:
          description: Participants under a measure of either programme in Y, those of them with a positive test under it, and 1 − relapsed / participants.
          type: object
          additionalProperties: false
          required: [participants, relapsed, rate]
          properties:
            participants: {$ref: "#/components/schemas/Count"}
            relapsed: {$ref: "#/components/schemas/Count"}
            rate: {$ref: "#/components/schemas/Rate"}
        new_enrollments: {$ref: "#/components/schemas/Count"}
        new_enrollments_change:
          description: (n(Y) − n(Y−1)) / n(Y−1), n = new_enrollments, n(Y−1) as of Y−1's 31 December; null when n(Y−1) is 0.
          type: [number, "null"]
        aid:
          type: object
          additionalProperties: false
          required: [subsistence, temporary, total_fen]
          properties:
            subsistence: {$ref: "#/components/schemas/Aid"}
            temporary: {$ref: "#/components/schemas/Aid"}
            total_fen: {$ref: "#/components/schemas/Count"}
        placements:
          type: object
          additionalProperties: false
          required: [enterprise, self_employment, public_welfare]
          properties:
            enterprise: {$ref: "#/components/schemas/Count"}
            self_employment: {$ref: "#/components/schemas/Count"}
            public_welfare: {$ref: "#/components/schemas/Count"}
        employer_subsidies_fen: {$ref: "#/components/schemas/Count"}
        training:
          type: object
          additionalProperties: false
          required: [vocational, agricultural]
          properties:
            vocational: {$ref: "#/components/schemas/Count"}
            agricultural: {$ref: "#/components/schemas/Count"}
        points:
          type: object
          additionalProperties: false
          required: [awarded, deducted, redeemed, outstanding]
          properties:
            awarded:
              description: The sum of positive deltas.
              type: integer
            deducted:
              description: The sum of the absolute values of negative deltas other than redemptions.
              type: integer
            redeemed:
              type: integer
            outstanding:
              description: Over registered participants; may be negative.
              type: integer
        overdue: {$ref: "#/components/schemas/Count"}

    # ---------------------------------------------------------------- rules
    Rules:
      description: "`recovery rules show --format json`: the adopted document's versions, sorted by `effective_from`."
      type: object
      additionalProperties: false
      required: [versions]
      properties:
        versions:
          type: array
          minItems: 1
          items:
            $ref: "#/components/schemas/RulesVersion"
    RulesVersion:
      type: object
      additionalProperties: false
      required:
        - name
        - effective_from
        - check_in
        - check_in_monthly_cap
        - test_negative
        - test_positive
        - test_refused
        - training_attended
        - education_completed
        - job_placed
        - check_in_interval_days
      properties:
        name:
          type: string
          minLength: 1
          maxLength: 64
        effective_from: {$ref: "#/components/schemas/Date"}
        check_in: {$ref: "#/components/schemas/RulesInteger"}
        check_in_monthly_cap:
          type: integer
          minimum: 0
          maximum: 1000000
        test_negative: {$ref: "#/components/schemas/RulesInteger"}
        test_positive: {$ref: "#/components/schemas/RulesInteger"}
        test_refused: {$ref: "#/components/schemas/RulesInteger"}
        training_attended: {$ref: "#/components/schemas/RulesInteger"}
        education_completed: {$ref: "#/components/schemas/RulesInteger"}
        job_placed: {$ref: "#/components/schemas/RulesInteger"}
        check_in_interval_days:
          type: integer
          minimum: 1
          maximum: 1000000
    RulesInteger:
      type: integer
      minimum: -1000000
      maximum: 1000000
    RulesDiffRequest:
      type: object
      additionalProperties: false
      required: [document]
      properties:
        document:
          description: The rules document, TOML (docs/rules.md), at most 64 KiB.
          type: string
    RulesAdoptRequest:
      type: object
      additionalProperties: false
      required: [document, reason]
      properties:
        document:
          description: The rules document, TOML (docs/rules.md), at most 64 KiB.
          type: string
        reason:
          description: Why the rules change; stored with the adoption.
          allOf:
            - $ref: "#/components/schemas/Text"
    RulesDiff:
      type: object
      additionalProperties: false
      required: [changed, unchanged, events, events_total]
      properties:
        changed:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [participant, before, after, negative]
            properties:
              participant: {$ref: "#/components/schemas/ParticipantIdValue"}
              before: {type: integer}
              after: {type: integer}
              negative: {type: boolean, description: "the balance would fall below zero"}
        unchanged: {$ref: "#/components/schemas/Count"}
        events:
          type: array
          maxItems: 10000
          description: The events whose points change (old and new delta), by participant then seq; the first 10,000.
          items:
            type: object
            additionalProperties: false
            required: [participant, seq, at, type, before, after]
            properties:
              participant: {$ref: "#/components/schemas/ParticipantIdValue"}
              seq: {type: integer, minimum: 1}
              at: {type: string, format: date-time}
              type: {type: string}
              before: {type: integer}
              after: {type: integer}
        events_total: {$ref: "#/components/schemas/Count"}

    # ---------------------------------------------------------------- audit
    Verification:
      oneOf:
        - $ref: "#/components/schemas/VerificationPassed"
        - $ref: "#/components/schemas/VerificationFailed"
    VerificationPassed:
      type: object
      additionalProperties: false
      required: [ok, events, head_seq, head_hash, access_records]
      properties:
        ok: {const: true}
        events: {$ref: "#/components/schemas/Count"}
        head_seq: {$ref: "#/components/schemas/Seq"}
        head_hash: {$ref: "#/components/schemas/Hash"}
        access_records: {$ref: "#/components/schemas/Count"}
    VerificationFailed:
      type: object
      additionalProperties: false
      required: [ok, first_bad_seq, reason]
      properties:
        ok: {const: false}
        first_bad_seq:
          type: [integer, "null"]
          minimum: 0
        reason: {type: string}
    Head:
      type: object
      additionalProperties: false
      required: [seq, hash, recorded_at]
      properties:
        seq: {$ref: "#/components/schemas/Seq"}
        hash: {$ref: "#/components/schemas/Hash"}
        recorded_at:
          description: When the last event was recorded; null when the log is empty.
          type: [string, "null"]
          format: date-time

    # ---------------------------------------------------------------- proofs
    Base64Hash:
      description: A SHA-256 hash in standard base64 (44 characters).
      type: string
      pattern: "^[A-Za-z0-9+/]{43}=$"
    Checkpoint:
      type: object
      additionalProperties: false
      required: [origin, tree_size, root, root_hex, checkpoint, key]
      properties:
        origin: {type: string}
        tree_size: {$ref: "#/components/schemas/Seq"}
        root: {$ref: "#/components/schemas/Base64Hash"}
        root_hex: {$ref: "#/components/schemas/Hash"}
        checkpoint:
          description: The signed note (docs/proofs.md §3).
          type: string
        key:
          description: The verifier key, NAME+KEYID+BASE64.
          type: string
    ProofEvent:
      description: One line of `recovery log --format jsonl` without `hash` (docs/proofs.md §4.1).
      type: object
      additionalProperties: false
      required: [seq, id, type, participant, at, actor, data, recorded_at, record]
      properties:
        seq: {$ref: "#/components/schemas/PositiveSeq"}
        id: {type: string}
        type: {type: string}
        participant: {type: string}
        at: {$ref: "#/components/schemas/Time"}
        actor: {type: string}
        data: {type: object}
        recorded_at: {$ref: "#/components/schemas/Time"}
        record:
          type: string
          contentEncoding: base64
          pattern: "^[A-Za-z0-9+/]*={0,2}$"
    ProofPath:
      type: array
      maxItems: 64
      items: {$ref: "#/components/schemas/Base64Hash"}
    InclusionProof:
      description: An inclusion proof (`proof` inclusion, one entry) or a participant's receipt (`proof` receipt, with `participant`).
      type: object
      additionalProperties: false
      required: [proof, version, hash_algorithm, signature_algorithm, checkpoint, tree_size, root, entries]
      properties:
        proof:
          enum: [inclusion, receipt]
        version: {const: 1}
        hash_algorithm: {const: sha-256}
        signature_algorithm: {const: ed25519}
        checkpoint: {type: string}
        tree_size: {$ref: "#/components/schemas/Seq"}
        root: {$ref: "#/components/schemas/Base64Hash"}
        participant: {$ref: "#/components/schemas/ParticipantIdValue"}
        entries:
          type: array
          minItems: 1
          items:
            type: object
            additionalProperties: false
            required: [leaf_index, event, path]
            properties:
              leaf_index: {$ref: "#/components/schemas/Seq"}
              event: {$ref: "#/components/schemas/ProofEvent"}
              path: {$ref: "#/components/schemas/ProofPath"}
    ConsistencyProof:
      type: object
      additionalProperties: false
      required: [proof, version, hash_algorithm, signature_algorithm, old_checkpoint, old_size, old_root, new_checkpoint, new_size, new_root, path]
      properties:
        proof: {const: consistency}
        version: {const: 1}
        hash_algorithm: {const: sha-256}
        signature_algorithm: {const: ed25519}
        old_checkpoint: {type: string}
        old_size: {$ref: "#/components/schemas/Seq"}
        old_root: {$ref: "#/components/schemas/Base64Hash"}
        new_checkpoint: {type: string}
        new_size: {$ref: "#/components/schemas/Seq"}
        new_root: {$ref: "#/components/schemas/Base64Hash"}
        path: {$ref: "#/components/schemas/ProofPath"}

    # ---------------------------------------------------------------- access
    AccessLogPage:
      type: object
      additionalProperties: false
      required: [records, next_from]
      properties:
        records:
          type: array
          maxItems: 1000
          items:
            $ref: "#/components/schemas/AccessRecord"
        next_from:
          description: The `from` of the next page; null when there is no more.
          type: [integer, "null"]
          minimum: 1
    AccessRecord:
      type: object
      additionalProperties: false
      required: [seq, at, actor, route, participants, towns]
      properties:
        seq:
          description: The record's position in the access log (its own sequence, not the event log's).
          allOf:
            - $ref: "#/components/schemas/PositiveSeq"
        at: {$ref: "#/components/schemas/Time"}
        actor: {$ref: "#/components/schemas/IdentityName"}
        route:
          description: The method and route pattern, e.g. `GET /v1/participants/{id}`.
          type: string
        participants:
          description: The participants whose data the request disclosed.
          type: array
          items:
            type: string
            minLength: 1
            maxLength: 32
        towns:
          description: The towns whose data the request disclosed.
          type: array
          items: {$ref: "#/components/schemas/TownId"}
    IdentityList:
      type: object
      additionalProperties: false
      required: [identities]
      properties:
        identities:
          type: array
          items:
            $ref: "#/components/schemas/IdentityEntry"
    IdentityEntry:
      type: object
      additionalProperties: false
      required: [identity, role, towns, granted_at, granted_by]
      properties:
        identity: {$ref: "#/components/schemas/IdentityName"}
        role: {$ref: "#/components/schemas/Role"}
        towns:
          type: array
          maxItems: 64
          items: {$ref: "#/components/schemas/TownId"}
        granted_at: {$ref: "#/components/schemas/Time"}
        granted_by:
          type: string
    GrantRequest:
      description: "`towns`: 1–64 town ids for `recorder` and `town_office`; empty or absent for the other roles."
      oneOf:
        - type: object
          additionalProperties: false
          required: [identity, role, towns]
          properties:
            identity: {$ref: "#/components/schemas/IdentityName"}
            role:
              enum: [recorder, town_office]
            towns:
              type: array
              minItems: 1
              maxItems: 64
              items: {$ref: "#/components/schemas/TownId"}
        - type: object
          additionalProperties: false
          required: [identity, role]
          properties:
            identity: {$ref: "#/components/schemas/IdentityName"}
            role:
              enum: [city_office, auditor, admin]
            towns:
              type: array
              maxItems: 0
    Grant:
      type: object
      additionalProperties: false
      required: [identity, role, towns, token]
      properties:
        identity: {$ref: "#/components/schemas/IdentityName"}
        role: {$ref: "#/components/schemas/Role"}
        towns:
          type: array
          maxItems: 64
          items: {$ref: "#/components/schemas/TownId"}
        token:
          description: The bearer token. Shown this once; the ledger keeps only its SHA-256.
          type: string
          pattern: "^rl_[A-Za-z0-9_-]{43}$"
    RevokeRequest:
      type: object
      additionalProperties: false
      required: [identity]
      properties:
        identity: {$ref: "#/components/schemas/IdentityName"}
    Revoked:
      type: object
      additionalProperties: false
      required: [identity, revoked]
      properties:
        identity: {$ref: "#/components/schemas/IdentityName"}
        revoked: {const: true}

    # ---------------------------------------------------------------- operations
    Health:
      type: object
      additionalProperties: false
      required: [status]
      properties:
        status: {const: ok}
"""#
}
