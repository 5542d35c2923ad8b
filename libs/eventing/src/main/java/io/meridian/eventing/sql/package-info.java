/** Small helpers for the SQL that the shared outbox and the services' group commits write by hand. */
package io.meridian.eventing.sql;
