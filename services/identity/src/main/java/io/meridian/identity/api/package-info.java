/** REST resources and their DTOs: grants, role templates, access review. */
package io.meridian.identity.api;
