package io.meridian.placement.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.meridian.placement.config.WorkloadLimits;
import io.meridian.placement.domain.Workload;
import io.vertx.core.Context;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real admission, remembering for each body it read whether that ran on a Vert.x event-loop thread. */
@Alternative
@Priority(1)
@Singleton
public class ThreadRecordingAdmission extends WorkloadAdmission {

    /** One body read: the media type it came as, the thread, and whether that thread is an event loop. */
    public record Read(String mediaType, String thread, boolean onEventLoop) {}

    private final List<Read> reads = new CopyOnWriteArrayList<>();

    ThreadRecordingAdmission(WorkloadLimits limits, WorkloadMeters meters) {
        super(limits, meters);
    }

    @Override
    Workload admit(MediaType type, String body) throws JsonProcessingException {
        reads.add(new Read(String.valueOf(type), Thread.currentThread().getName(), Context.isOnEventLoopThread()));
        return super.admit(type, body);
    }

    /** Every read so far. */
    public List<Read> reads() {
        return List.copyOf(reads);
    }
}
