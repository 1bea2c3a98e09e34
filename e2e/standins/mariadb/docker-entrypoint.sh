#!/bin/bash
# Entrypoint of the mariadb and mysql stand-ins, after the official images'
# docker-entrypoint.sh: initialise an empty datadir from the environment,
# then run the server as user mysql.
set -eo pipefail

log() { echo "$(date -u +'%Y-%m-%dT%H:%M:%SZ') [Entrypoint]: $*"; }
die() { log "ERROR: $*" >&2; exit 1; }

# var NAME: MARIADB_NAME, else MYSQL_NAME.
var() { local m="MARIADB_$1" y="MYSQL_$1"; printf '%s' "${!m:-${!y:-}}"; }
# sql_string VALUE: a quoted SQL string literal.
sql_string() { local v=${1//\\/\\\\}; v=${v//\'/\\\'}; printf "'%s'" "$v"; }
# sql_ident VALUE: a quoted SQL identifier.
sql_ident() { printf '`%s`' "${1//\`/\`\`}"; }

if [ "${1#-}" != "$1" ]; then
	set -- mariadbd "$@"
fi
case $1 in
mysqld | mariadbd) ;;
*) exec "$@" ;;
esac

datadir=/var/lib/mysql
socket=/run/mysqld/mysqld.sock
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$datadir" /run/mysqld
	find "$datadir" /run/mysqld \! -user mysql -exec chown mysql:mysql '{}' +
	exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi

if [ ! -d "$datadir/mysql" ]; then
	root_password=$(var ROOT_PASSWORD)
	if [ -n "$(var RANDOM_ROOT_PASSWORD)" ]; then
		root_password=$(head -c 18 /dev/urandom | base64)
		log "GENERATED ROOT PASSWORD: $root_password"
	elif [ -z "$root_password" ] && [ -z "$(var ALLOW_EMPTY_PASSWORD)" ] && [ -z "$(var ALLOW_EMPTY_ROOT_PASSWORD)" ]; then
		die "Database is uninitialized and password option is not specified
	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD"
	fi
	log "Initializing database files"
	mariadb-install-db --datadir="$datadir" --skip-test-db --auth-root-authentication-method=normal \
		--skip-log-bin --default-time-zone=SYSTEM >/dev/null
	log "Starting temporary server"
	"$@" --skip-networking --socket="$socket" --skip-log-bin &
	pid=$!
	for i in $(seq 60); do
		mariadb --protocol=socket --socket="$socket" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || die "temporary server exited"
		sleep 0.5
	done
	client=(mariadb --protocol=socket --socket="$socket" -uroot)
	database=$(var DATABASE)
	user=$(var USER)
	password=$(var PASSWORD)
	{
		echo "SET @@SESSION.SQL_LOG_BIN=0;"
		# No anonymous users: they would win over user@'%' for local clients.
		echo "DELETE FROM mysql.global_priv WHERE User='';"
		echo "DELETE FROM mysql.global_priv WHERE User='root' AND Host NOT IN ('localhost');"
		echo "DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost');"
		echo "FLUSH PRIVILEGES;"
		echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$root_password");"
		echo "CREATE USER 'root'@'%' IDENTIFIED BY $(sql_string "$root_password");"
		echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
		if [ -n "$database" ]; then
			echo "CREATE DATABASE IF NOT EXISTS $(sql_ident "$database");"
		fi
		if [ -n "$user" ] && [ -n "$password" ]; then
			echo "CREATE USER $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$password");"
			if [ -n "$database" ]; then
				echo "GRANT ALL ON $(sql_ident "${database//_/\\_}").* TO $(sql_string "$user")@'%';"
			fi
		fi
		echo "FLUSH PRIVILEGES;"
	} | "${client[@]}"
	client+=(--password="$root_password")
	[ -n "$database" ] && client+=("$database")
	for f in /docker-entrypoint-initdb.d/*; do
		case $f in
		*.sh) log "running $f"; . "$f" ;;
		*.sql) log "running $f"; "${client[@]}" <"$f" ;;
		*.sql.gz) log "running $f"; gunzip -c "$f" | "${client[@]}" ;;
		*) [ -e "$f" ] && log "ignoring $f" ;;
		esac
	done
	log "Stopping temporary server"
	kill "$pid"
	wait "$pid" || true
	log "Initialization complete, ready for start up"
fi

exec "$@"
