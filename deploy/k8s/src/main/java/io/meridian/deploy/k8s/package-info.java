/**
 * Meridian's Kubernetes manifests as code: {@code deploy/k8s} rendered by the real kustomize ({@code kubectl
 * kustomize}) for the tests that check it, and the realm objects generated from the local realm file.
 */
package io.meridian.deploy.k8s;
