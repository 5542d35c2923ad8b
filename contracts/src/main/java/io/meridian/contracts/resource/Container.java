package io.meridian.contracts.resource;

/** One container of a Pod or Pod template, with what it asks for and what it is capped at. */
public record Container(String name, String image, ResourceAmounts requests, ResourceAmounts limits) {

    public Container {
        requests = requests == null ? ResourceAmounts.NONE : requests;
        limits = limits == null ? ResourceAmounts.NONE : limits;
    }
}
