#!/usr/bin/env bash
# The broker users of the platform (compose: the one-shot `broker-users` service; deploy/README.md, "Broker users").
#
# Every service, the council's own systems and the business clock connect to RabbitMQ as a user of their own: its
# vhost permissions let it declare and read only its own queues and the shared exchanges, and its topic permission
# on `council.events` lets it publish only its own routing keys (billing only `billing.*`, ...). Consumers refuse
# an event whose broker-checked `user-id` does not own its type (shared/broker_identity.py), so a service
# connecting as anyone else would have every event it publishes refused.
#
# The regular expressions below are exactly those of shared/broker_identity.py (`broker_permissions(user)`,
# `tray_permissions()`; tests/integration/deploy checks they stay equal). Topic read is `.*` for the services (they
# bind their queues to every routing key they hear, as deploy/local/infra.py gives them); the dead-letter tray reads
# and publishes nothing on the exchange, and carries the `impersonator` tag so that a replayed message keeps the
# user id of the service that first published it.
#
# Idempotent: a user that exists gets the password from the environment (change_password), its tags and permissions
# set again. Run it again after changing a password in deploy/.env:
#   docker compose -f deploy/compose.yaml up broker-users
# Passwords come from BROKER_PASSWORD_<USER> (deploy/.env); the administrator user (`council`) is left alone.
set -euo pipefail

node="${RABBITMQ_NODE:-rabbit@rabbitmq-1}"
# The nodes' Erlang cookie (the same RABBITMQ_ERLANG_COOKIE as theirs), passed explicitly: the variable alone is
# deprecated for the CLI tools.
cookie=(--erlang-cookie "${RABBITMQ_ERLANG_COOKIE:?set RABBITMQ_ERLANG_COOKIE, the cookie of the nodes}")

ctl() {
    rabbitmqctl "${cookie[@]}" -n "$node" -q "$@"
}

existing_users() {
    rabbitmqctl "${cookie[@]}" -n "$node" -s list_users | cut -f1
}

# user NAME PASSWORD_VARIABLE TAGS: create the user or give it the password of its variable; set its tags.
user() {
    local name=$1 variable=$2 tags=$3
    local password=${!variable:-}
    if [ -z "$password" ]; then
        echo "broker-users: $variable is not set (deploy/.env)" >&2
        exit 1
    fi
    if grep -qxF "$name" <<<"$existing"; then
        ctl change_password "$name" "$password"
    else
        ctl add_user "$name" "$password"
    fi
    # shellcheck disable=SC2086  # no tags clears them; several would be separate arguments
    ctl set_user_tags "$name" $tags
}

# permit NAME CONFIGURE WRITE READ: the user's permissions on the vhost `/`.
permit() {
    ctl set_permissions -p / "$1" "$2" "$3" "$4"
}

# topic NAME WRITE READ: the routing keys the user may publish (and bind) on the events exchange.
topic() {
    ctl set_topic_permissions -p / "$1" council.events "$2" "$3"
}

ctl await_startup
existing=$(existing_users)

user agents_gateway BROKER_PASSWORD_AGENTS_GATEWAY ''
permit agents_gateway '^(agents_gateway\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$' '^(agents_gateway\..*|amq\.gen-.*|amq\.default|council\.events|council\.dead\-letter)$' '^(agents_gateway\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$'
topic agents_gateway '^agents_gateway\.' '.*'

user billing BROKER_PASSWORD_BILLING ''
permit billing '^(billing\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$' '^(billing\..*|amq\.gen-.*|amq\.default|council\.events|council\.dead\-letter)$' '^(billing\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$'
topic billing '^billing\.' '.*'

user breathing_space BROKER_PASSWORD_BREATHING_SPACE ''
permit breathing_space '^(breathing_space\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$' '^(breathing_space\..*|amq\.gen-.*|amq\.default|council\.events|council\.dead\-letter)$' '^(breathing_space\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$'
topic breathing_space '^breathing_space\.' '.*'

user council_systems BROKER_PASSWORD_COUNCIL_SYSTEMS ''
permit council_systems '^(council_systems\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$' '^(council_systems\..*|amq\.gen-.*|amq\.default|council\.events|council\.dead\-letter)$' '^(council_systems\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$'
topic council_systems '^council_systems\.' '.*'

user platform BROKER_PASSWORD_PLATFORM ''
permit platform '^(platform\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$' '^(platform\..*|amq\.gen-.*|amq\.default|council\.events|council\.dead\-letter)$' '^(platform\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$'
topic platform '^platform\.' '.*'

user recovery BROKER_PASSWORD_RECOVERY ''
permit recovery '^(recovery\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$' '^(recovery\..*|amq\.gen-.*|amq\.default|council\.events|council\.dead\-letter)$' '^(recovery\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$'
topic recovery '^recovery\.' '.*'

user writeoff BROKER_PASSWORD_WRITEOFF ''
permit writeoff '^(writeoff\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$' '^(writeoff\..*|amq\.gen-.*|amq\.default|council\.events|council\.dead\-letter)$' '^(writeoff\..*|amq\.gen-.*|council\.events|council\.dead\-letter)$'
topic writeoff '^writeoff\.' '.*'

user dead_letter_tray BROKER_PASSWORD_DEAD_LETTER_TRAY impersonator
permit dead_letter_tray '^$' '^amq\.default$' '^$'
topic dead_letter_tray '^$' '^$'

echo "broker-users: every broker user is in place"
