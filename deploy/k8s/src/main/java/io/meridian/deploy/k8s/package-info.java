/**
 * Meridian's Kubernetes manifests as code: a small kustomize renderer so that tests can render and check
 * {@code deploy/k8s} without a kustomize binary.
 */
package io.meridian.deploy.k8s;
