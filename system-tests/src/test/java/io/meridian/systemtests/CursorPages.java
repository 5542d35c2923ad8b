package io.meridian.systemtests;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Reads every page of one of the APIs' cursor-paged lists. */
final class CursorPages {

    private CursorPages() {}

    /** {@code query} makes a page's request (the cursor aside); {@code page} hears each page in order. */
    static void forEach(Supplier<RequestSpecification> query, String path, Consumer<JsonPath> page) {
        String cursor = null;
        do {
            RequestSpecification request = query.get();
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath json = request.get(path).then().statusCode(200).extract().jsonPath();
            page.accept(json);
            cursor = json.getString("nextCursor");
        } while (cursor != null);
    }
}
