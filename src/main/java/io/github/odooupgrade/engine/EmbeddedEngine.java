package io.github.odooupgrade.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.protocol.impl.encoding.MsgPackConverter;
import io.camunda.zeebe.protocol.impl.record.RecordMetadata;
import io.camunda.zeebe.protocol.impl.record.UnifiedRecordValue;
import io.camunda.zeebe.protocol.impl.record.value.job.JobRecord;
import io.camunda.zeebe.protocol.impl.record.value.usertask.UserTaskRecord;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.Intent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.camunda.zeebe.scheduler.clock.ControlledActorClock;
import io.camunda.zeebe.util.buffer.BufferUtil;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory Zeebe engine of {@code zeebe-process-test} (an engine with a gRPC gateway only: no
 * REST API, no Operate, no Tasklist), adapted for this project in four ways that its public API does
 * not offer:
 * <ul>
 * <li>its gRPC gateway listens on 127.0.0.1 only (the library binds every interface);</li>
 * <li>native Camunda user tasks ({@code zeebe:userTask}) can be listed and completed — in a real
 * cluster that is Tasklist's job, over the REST API this engine lacks;</li>
 * <li>its log may be read and written by several threads at once (the library's is not safe for that);</li>
 * <li>a failed job whose back-off the engine wrongly refuses to end is sent back again ({@link BackoffRepair}).</li>
 * </ul>
 * All four reach into the library's package-private internals by reflection, so this class is pinned
 * to one engine version ({@link #ENGINE_VERSION}) and refuses to start on another: a new version
 * must be checked (EmbeddedEngineTest) before the pin moves. Nothing else in the project touches
 * those internals.
 */
public final class EmbeddedEngine implements AutoCloseable {
    /** The zeebe-process-test-engine version this adapter was written against and is tested with. */
    public static final String ENGINE_VERSION = "8.8.21";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);

    private final ZeebeTestEngine engine;
    private final Server gateway;
    private final ControlledActorClock clock;
    private final Object commandWriter;
    private final Method writeWithKey;
    private final Thread backoffRepair;

    private EmbeddedEngine(ZeebeTestEngine engine, Server gateway, ControlledActorClock clock, Object commandWriter, Method writeWithKey) {
        this.engine = engine;
        this.gateway = gateway;
        this.clock = clock;
        this.commandWriter = commandWriter;
        this.writeWithKey = writeWithKey;
        this.backoffRepair = Thread.ofPlatform().daemon().name("engine-backoff-repair").start(this::repairBackoffs);
    }

    /** Starts an engine on a free loopback port, chosen by the system as the gateway binds it (no probe that another could take first). */
    public static EmbeddedEngine start() {
        return start(0);
    }

    /** Starts an engine whose gateway listens on this loopback port (0: a free one). */
    public static EmbeddedEngine start(int port) {
        String version = EngineFactory.class.getPackage().getImplementationVersion();
        if (!ENGINE_VERSION.equals(version)) {
            throw new IllegalStateException("the embedded engine adapter is written for zeebe-process-test-engine " + ENGINE_VERSION
                    + " but " + version + " is on the classpath: check EmbeddedEngine against it, then move ENGINE_VERSION");
        }
        ZeebeTestEngine engine = EngineFactory.create(port);
        try {
            // the library keeps its log in a plain ArrayList that the engine's threads read while others append: a
            // reader can see a null entry, and the engine stops for good (NullPointerException in
            // InMemoryLogStorage$ListLogStorageReader.next, seen in this project's runs). Same list, made safe to share,
            // before anything is written to it.
            setField(field(field(engine, "logStream"), "logStorage"), "logEntries", Collections.synchronizedList(new ArrayList<>()));
            Object gateway = field(engine, "gateway");
            // same gateway service, bound to loopback instead of every interface
            Server loopback = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .addService((BindableService) gateway)
                    .build();
            setField(engine, "grpcServer", loopback);
            Object writer = field(gateway, "writer");
            Method write = writer.getClass().getDeclaredMethod("writeCommandWithKey", Long.class, UnifiedRecordValue.class,
                    RecordMetadata.class);
            write.setAccessible(true);
            engine.start();
            return new EmbeddedEngine(engine, loopback, (ControlledActorClock) field(engine, "clock"), writer, write);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("zeebe-process-test-engine " + version + " does not have the internals this adapter expects", e);
        }
    }

    /** For {@code camunda.client.grpc-address}. */
    public String grpcAddress() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return gateway.getPort();
    }

    /**
     * Moves the engine's clock forward: timers fire and jobs time out as if that much time had passed
     * (the clock otherwise runs with the wall clock).
     */
    public void increaseTime(Duration by) {
        engine.increaseTime(by);
    }

    /**
     * Every record the engine has written so far (commands, events, rejections), oldest first, as a copy:
     * the library's record source appends to one plain list on each call, so a reader iterating it while
     * another caller (the library's gateway among them) refreshes it met a ConcurrentModificationException
     * (seen once in EmbeddedEngineTest). Copied through toArray, which no append can interrupt.
     */
    public List<Record<?>> records() {
        List<Record<?>> copy = new ArrayList<>((Collection<Record<?>>) engine.getRecordStreamSource().getRecords());
        copy.removeIf(Objects::isNull); // an entry not yet visible to this thread
        return copy;
    }

    /** The events written after {@code position} (a record's position; -1: from the start), oldest first: what a follower reads next. */
    public List<Record<?>> eventsAfter(long position) {
        List<Record<?>> events = new ArrayList<>();
        for (Record<?> r : records()) {
            if (r.getPosition() > position && r.getRecordType() == RecordType.EVENT) {
                events.add(r);
            }
        }
        return events;
    }

    /** The latest value (JSON) of each variable of an instance's root scope: what Operate shows. */
    public Map<String, String> variables(long processInstanceKey) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Record<?> r : records()) {
            if (r.getValueType() == ValueType.VARIABLE && r.getRecordType() == RecordType.EVENT
                    && r.getValue() instanceof VariableRecordValue v && v.getScopeKey() == processInstanceKey) {
                vars.put(v.getName(), v.getValue());
            }
        }
        return vars;
    }

    /** A user task waiting for a person: what Tasklist would list. */
    public record OpenUserTask(long key, long processInstanceKey, String elementId, long elementInstanceKey,
            long formKey, Map<String, Object> variables) {}

    /** User tasks created and not yet completed or cancelled, oldest first. */
    public List<OpenUserTask> openUserTasks() {
        Map<Long, UserTaskRecordValue> open = new LinkedHashMap<>();
        for (Record<?> r : records()) {
            if (r.getValueType() != ValueType.USER_TASK || r.getRecordType() != RecordType.EVENT) {
                continue;
            }
            UserTaskRecordValue value = (UserTaskRecordValue) r.getValue();
            if (r.getIntent() == UserTaskIntent.CREATED) {
                open.put(r.getKey(), value);
            } else if (r.getIntent() == UserTaskIntent.COMPLETED || r.getIntent() == UserTaskIntent.CANCELED) {
                open.remove(r.getKey());
            }
        }
        List<OpenUserTask> tasks = new ArrayList<>();
        open.forEach((key, v) -> tasks.add(new OpenUserTask(key, v.getProcessInstanceKey(), v.getElementId(),
                v.getElementInstanceKey(), v.getFormKey(), v.getVariables())));
        return tasks;
    }

    /**
     * Completes a native user task with the variables a form would submit — the command Tasklist
     * sends through the REST API ({@code POST /v2/user-tasks/{key}/completion}), written straight
     * to the engine's log. The engine checks it like any other command (an unknown or finished
     * task is rejected; see {@link #records()}).
     */
    public void completeUserTask(long userTaskKey, Map<String, Object> variables) {
        UserTaskRecord command = new UserTaskRecord().setUserTaskKey(userTaskKey).setAction("complete");
        if (variables != null && !variables.isEmpty()) {
            try {
                command.setVariables(BufferUtil.wrapArray(MsgPackConverter.convertToMsgPack(JSON.writeValueAsString(variables))));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("variables cannot be written as JSON: " + e.getMessage(), e);
            }
        }
        write(userTaskKey, command, ValueType.USER_TASK, UserTaskIntent.COMPLETE);
    }

    /** Writes a command straight to the engine's log, as the gateway does for a client's. */
    private void write(long key, UnifiedRecordValue command, ValueType type, Intent intent) {
        RecordMetadata metadata = new RecordMetadata().recordType(RecordType.COMMAND).valueType(type).intent(intent);
        try {
            writeWithKey.invoke(commandWriter, key, command, metadata);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not write the " + type + " " + intent + " command to the engine", e);
        }
    }

    /** Stops the engine's clock at this instant (epoch milliseconds) until {@link #releaseClock}: what a test needs to hit one millisecond. */
    void pinClock(long millis) {
        clock.setCurrentTime(millis);
    }

    /** The engine's clock runs with the wall clock again (and any time added by {@link #increaseTime}). */
    void releaseClock() {
        clock.reset();
    }

    /** Ends a failed job's back-off now: the command the engine's own scheduler writes when the back-off is over. */
    void recurAfterBackoff(long jobKey) {
        write(jobKey, new JobRecord(), ValueType.JOB, JobIntent.RECUR_AFTER_BACKOFF);
    }

    private void repairBackoffs() {
        BackoffRepair repair = new BackoffRepair();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (long job : repair.jobsToRecur(records(), clock.getCurrentTimeInMillis())) {
                        log.warn("job {} failed with retries left, and the engine refused to hand it out again after its back-off "
                                + "(\"no such job\", a fault of the embedded engine, see BackoffRepair): asked again", job);
                        recurAfterBackoff(job);
                    }
                } catch (RuntimeException e) { // the watch goes on: a run it stops watching could wait for ever
                    log.warn("the engine's back-offs could not be checked: {}", e.toString());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException closed) {
            // the engine stops
        }
    }

    @Override
    public void close() {
        backoffRepair.interrupt();
        engine.stop();
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    private static void setField(Object target, String name, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }
}
