/** Calls to the services' REST APIs, their problem answers, and table, JSON and YAML output. */
package io.meridian.cli.rest;
