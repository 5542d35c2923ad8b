package io.meridian.cost.api;

/** A budget to create: a name, a scope ({@code label:team=payments}, {@code cluster:<name>}, {@code cloud:aws}), an amount per month. */
public record BudgetInput(String name, String scope, Double monthlyAmount) {}
