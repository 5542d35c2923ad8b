/** Checks that a new version of a JSON Schema still accepts what readers of the old one rely on. */
package io.meridian.contracts.schema;
