# The application image (workers, sandbox, run), from the jar the Maven build makes:
#   ./mvnw -B package -DskipTests && docker build -t odoo-upgrade .
# docker-compose.yml builds it the same way.
FROM eclipse-temurin:21-jre
# pg_restore: the sandbox's SQL view of pg_dump archives
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data upgrade \
 && mkdir -p /data /upgrades && chown upgrade /data /upgrades
COPY target/odoo-upgrade.jar /app/odoo-upgrade.jar
USER upgrade
WORKDIR /data
ENTRYPOINT ["java", "-jar", "/app/odoo-upgrade.jar"]
CMD ["--help"]
