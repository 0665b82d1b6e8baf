package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.annotation.JobWorker;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.BoundaryEvent;
import io.camunda.zeebe.model.bpmn.instance.EndEvent;
import io.camunda.zeebe.model.bpmn.instance.Error;
import io.camunda.zeebe.model.bpmn.instance.ErrorEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.FlowElement;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.UserTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeExecutionListenerEventType;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeExecutionListeners;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeFormDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeIoMapping;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeOutput;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskListenerEventType;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskListeners;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeUserTask;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.ErrorCode;
import io.github.odooupgrade.process.UpgradeProcess.Form;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.notify.Notification;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.worker.WorkerConfiguration;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;

/**
 * The model, the forms and the workers agree: every service task has exactly one worker, every
 * user task is a native Camunda user task with a form that exists, and the forms are well-formed
 * form-js documents whose fields are the variables the process reads.
 */
class ProcessModelTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final BpmnModelInstance model = Bpmn.readModelFromFile(Path.of("bpmn/odoo-upgrade.bpmn").toFile());

    @Test
    void theModelValidatesAndIsTheProcessTheCodeNames() {
        Bpmn.validateModel(model);
        assertThat((Object) model.getModelElementById(UpgradeProcess.PROCESS_ID)).isNotNull();
        for (String id : constants(Element.class)) {
            assertThat((Object) model.getModelElementById(id)).as("element %s", id).isNotNull();
        }
    }

    @Test
    void everyServiceTaskHasExactlyOneWorkerAndEveryWorkerATask() throws Exception {
        Map<String, List<String>> tasksByType = model.getModelElementsByType(ServiceTask.class).stream()
                .collect(Collectors.groupingBy(t -> t.getSingleExtensionElement(ZeebeTaskDefinition.class).getType(),
                        Collectors.mapping(FlowElement::getId, Collectors.toList())));
        assertThat(tasksByType.keySet()).containsExactlyInAnyOrderElementsOf(serviceTaskTypes());
        assertThat(tasksByType.values()).allMatch(ids -> ids.size() == 1);

        Map<String, Integer> workersByType = new HashMap<>();
        for (Class<?> worker : workerClasses()) {
            for (Method m : worker.getDeclaredMethods()) {
                JobWorker annotation = m.getAnnotation(JobWorker.class);
                if (annotation != null) {
                    workersByType.merge(annotation.type(), 1, Integer::sum);
                }
            }
        }
        Set<String> jobTypes = constants(JobType.class);
        jobTypes.addAll(constants(CampaignProcess.JobType.class)); // the campaign model's (CampaignModelTest)
        assertThat(workersByType.keySet()).containsExactlyInAnyOrderElementsOf(jobTypes);
        assertThat(workersByType.values()).allMatch(n -> n == 1);
    }

    /** The job types of service tasks: every one but the listeners'. */
    private static Set<String> serviceTaskTypes() {
        Set<String> types = constants(JobType.class);
        types.remove(JobType.NOTIFY);
        return types;
    }

    @Test
    void everyUserTaskAndEveryEndOfTheRunTellAPersonThroughTheModel() {
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            ZeebeTaskListeners listeners = task.getSingleExtensionElement(ZeebeTaskListeners.class);
            assertThat(listeners).as("task listeners of %s", task.getId()).isNotNull();
            assertThat(listeners.getTaskListeners()).as(task.getId())
                    .anyMatch(l -> l.getEventType() == ZeebeTaskListenerEventType.creating && l.getType().equals(JobType.NOTIFY));
        }
        List<EndEvent> runEnds = model.getModelElementsByType(EndEvent.class).stream()
                .filter(e -> e.getParentElement() instanceof Process && !e.getId().equals(Element.REMINDER_SENT)).toList();
        // the reminder's path ends without ending the run: it tells the approver, and counts no outcome
        assertThat(Notification.of(Element.REMINDER_SENT, Map.of(), Instant.now())).isNotNull();
        assertThat(Element.outcomeOf(Element.REMINDER_SENT)).isNull();
        assertThat(runEnds).hasSizeGreaterThanOrEqualTo(8);
        for (EndEvent end : runEnds) {
            ZeebeExecutionListeners listeners = end.getSingleExtensionElement(ZeebeExecutionListeners.class);
            assertThat(listeners).as("execution listeners of %s", end.getId()).isNotNull();
            assertThat(listeners.getExecutionListeners()).as(end.getId())
                    .anyMatch(l -> l.getEventType() == ZeebeExecutionListenerEventType.start && l.getType().equals(JobType.NOTIFY));
            assertThat(Notification.of(end.getId(), Map.of(), Instant.now())).as("what %s tells", end.getId()).isNotNull();
            assertThat(Element.outcomeOf(end.getId())).as("the outcome %s counts", end.getId()).isNotNull();
            ZeebeIoMapping io = end.getSingleExtensionElement(ZeebeIoMapping.class);
            assertThat(io == null ? List.<String>of() : io.getOutputs().stream().map(ZeebeOutput::getTarget).toList())
                    .as("%s hands the listener's %s to the instance", end.getId(), Var.RUN_OUTCOME).contains(Var.RUN_OUTCOME);
        }
    }

    @Test
    void everyBpmnErrorAWorkerCanThrowIsCaughtWhereItCanHappen() {
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            String type = task.getSingleExtensionElement(ZeebeTaskDefinition.class).getType();
            for (String code : ErrorCode.thrownBy(type)) {
                assertThat(catchers(model, task, code))
                        .as("%s (%s) can throw the BPMN error %s: a boundary event on it, or on a subprocess around it, catches it",
                                task.getId(), type, code)
                        .isNotEmpty()
                        .allSatisfy(b -> assertThat(b.getOutgoing()).as("%s leads somewhere", b.getId()).isNotEmpty());
            }
        }
        Set<String> declared = model.getModelElementsByType(Error.class).stream().map(Error::getErrorCode).collect(Collectors.toSet());
        assertThat(declared).as("every error the model declares is one a worker throws").containsExactlyInAnyOrderElementsOf(constants(ErrorCode.class));
    }

    /** The boundary events that catch {@code code} thrown inside {@code element}: on it, or on a subprocess it lies in. */
    static List<BoundaryEvent> catchers(BpmnModelInstance model, ModelElementInstance element, String code) {
        List<BoundaryEvent> found = new ArrayList<>();
        for (ModelElementInstance e = element; e != null && !(e instanceof Process); e = e.getParentElement()) {
            for (BoundaryEvent b : model.getModelElementsByType(BoundaryEvent.class)) {
                boolean catches = b.getAttachedTo() == e && b.getEventDefinitions().stream()
                        .anyMatch(d -> d instanceof ErrorEventDefinition ed && (ed.getError() == null || code.equals(ed.getError().getErrorCode())));
                if (catches) {
                    found.add(b);
                }
            }
        }
        return found;
    }

    @Test
    void theElementTemplatesCoverEveryServiceTask() throws IOException {
        Set<String> types = new HashSet<>();
        for (JsonNode template : JSON.readTree(Path.of("element-templates/odoo-upgrade.json").toFile())) {
            for (JsonNode p : template.path("properties")) {
                if (p.path("binding").path("type").asText().equals("zeebe:taskDefinition") && p.path("binding").path("property").asText().equals("type")) {
                    types.add(p.path("value").asText());
                }
            }
        }
        assertThat(types).containsExactlyInAnyOrderElementsOf(serviceTaskTypes());
    }

    @Test
    void userTasksAreNativeWithAFormThatExists() throws IOException {
        Set<String> formIds = forms().keySet();
        Set<String> allForms = constants(Form.class);
        allForms.addAll(constants(CampaignProcess.Form.class)); // the campaign model's (CampaignModelTest)
        assertThat(formIds).containsExactlyInAnyOrderElementsOf(allForms);
        List<String> linked = new ArrayList<>();
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            assertThat(task.getSingleExtensionElement(ZeebeUserTask.class)).as("%s is a Camunda user task", task.getId()).isNotNull();
            String formId = task.getSingleExtensionElement(ZeebeFormDefinition.class).getFormId();
            assertThat(formIds).as("form of %s", task.getId()).contains(formId);
            linked.add(formId);
        }
        StartEvent start = model.getModelElementsByType(StartEvent.class).stream()
                .filter(e -> e.getParentElement().equals(model.getModelElementById(UpgradeProcess.PROCESS_ID))).findFirst().orElseThrow();
        linked.add(start.getSingleExtensionElement(ZeebeFormDefinition.class).getFormId());
        assertThat(linked).containsExactlyInAnyOrderElementsOf(constants(Form.class));
    }

    @Test
    void formsAreFormJsDocumentsForThisCamundaVersion() throws IOException {
        for (Map.Entry<String, JsonNode> e : forms().entrySet()) {
            JsonNode form = e.getValue();
            assertThat(form.path("type").asText()).as(e.getKey()).isEqualTo("default");
            assertThat(form.path("schemaVersion").isInt()).as(e.getKey()).isTrue();
            assertThat(form.path("executionPlatform").asText()).isEqualTo("Camunda Cloud");
            assertThat(form.path("executionPlatformVersion").asText()).startsWith("8.8");
            List<String> ids = form.findValuesAsText("id");
            assertThat(ids).as("ids in %s are unique", e.getKey()).doesNotHaveDuplicates();
            for (JsonNode c : form.path("components")) {
                assertThat(c.path("type").asText()).isIn("text", "textfield", "textarea", "number", "select", "radio", "checkbox");
                if (!c.path("type").asText().equals("text")) {
                    assertThat(c.path("key").asText()).as("input fields of %s have a key", e.getKey()).isNotBlank();
                    assertThat(c.path("label").asText()).isNotBlank();
                }
            }
        }
    }

    private static Stream<JsonNode> stream(JsonNode form) {
        return java.util.stream.StreamSupport.stream(form.path("components").spliterator(), false);
    }

    @Test
    void formFieldsAreTheVariablesTheProcessReads() throws IOException {
        Map<String, JsonNode> forms = forms();
        assertThat(keys(forms.get(Form.START))).containsExactlyInAnyOrder(Var.DUMP_FILE, Var.SOURCE_DATABASE, Var.INCLUDE_FILESTORE,
                Var.CONTRACT, Var.EMAIL, Var.TARGET, Var.AIM, Var.UPLOAD_METHOD, Var.TIMEZONE, Var.SKIP_TESTS, Var.RESTORE, Var.RESTORE_DATABASE,
                Var.CONTINUE_REQUEST, Var.REQUEST_ID, Var.REQUEST_KEY, Var.PLATFORM_API, Var.WIPE_AFTER, Var.TEST_FIRST, Var.APPROVAL_REMINDER);
        assertThat(keys(forms.get(Form.APPROVAL))).containsExactlyInAnyOrder(Var.APPROVAL, Var.APPROVER, Var.APPROVAL_COMMENT);
        // the approval after the test: the same decision, and what the test proved shown read-only
        assertThat(keys(forms.get(Form.TEST_APPROVAL))).containsExactlyInAnyOrder(Var.APPROVAL, Var.APPROVER, Var.APPROVAL_COMMENT,
                Var.ACCEPTANCE_SUMMARY, Var.PLATFORM_REPORT);
        for (JsonNode c : Stream.concat(stream(forms.get(Form.TEST_APPROVAL)), stream(forms.get(Form.REVIEW_FAILURE))).toList()) {
            if (List.of(Var.ACCEPTANCE_SUMMARY, Var.PLATFORM_REPORT, Var.PLATFORM_LOG).contains(c.path("key").asText())) {
                assertThat(c.path("readonly").asBoolean()).as("%s is shown, not asked", c.path("key").asText()).isTrue();
            }
        }
        assertThat(keys(forms.get(Form.REVIEW_FAILURE))).containsExactlyInAnyOrder(Var.REVIEW, Var.REVIEW_COMMENT, Var.PLATFORM_REPORT,
                Var.PLATFORM_LOG);
        assertThat(keys(forms.get(Form.REVIEW_OVERDUE))).containsExactlyInAnyOrder(Var.OVERDUE);

        // the gateways decide on what the forms offer
        String bpmn = Files.readString(Path.of("bpmn/odoo-upgrade.bpmn"));
        assertThat(bpmn).contains("=approval = &#34;approve&#34;", "=review = &#34;retry&#34;", "=overdue = &#34;wait&#34;",
                "=aim = &#34;production&#34;", "=uploadMethod = &#34;sftp&#34;", "=sourceDatabase != null", "=restore = true",
                "=requestId != null", "=outcome = &#34;draft&#34;");
        assertThat(options(forms.get(Form.APPROVAL), Var.APPROVAL)).contains("approve", "reject");
        assertThat(options(forms.get(Form.REVIEW_FAILURE), Var.REVIEW)).contains("retry", "abandon");
        assertThat(options(forms.get(Form.REVIEW_OVERDUE), Var.OVERDUE)).contains("wait", "abandon");
        assertThat(options(forms.get(Form.START), Var.AIM)).containsExactlyInAnyOrder("test", "production");
        assertThat(options(forms.get(Form.START), Var.UPLOAD_METHOD)).containsExactlyInAnyOrder("auto", "https", "sftp");
    }

    static List<String> keys(JsonNode form) {
        List<String> keys = new ArrayList<>();
        form.path("components").forEach(c -> {
            if (c.hasNonNull("key")) {
                keys.add(c.get("key").asText());
            }
        });
        return keys;
    }

    private static List<String> options(JsonNode form, String key) {
        List<String> values = new ArrayList<>();
        form.path("components").forEach(c -> {
            if (key.equals(c.path("key").asText())) {
                c.path("values").forEach(v -> values.add(v.path("value").asText()));
            }
        });
        return values;
    }

    static Map<String, JsonNode> forms() throws IOException {
        Map<String, JsonNode> forms = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("forms"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".form")).toList()) {
                JsonNode form = JSON.readTree(f.toFile());
                assertThat(f.getFileName().toString()).isEqualTo(form.path("id").asText() + ".form");
                forms.put(form.path("id").asText(), form);
            }
        }
        return forms;
    }

    private static List<Class<?>> workerClasses() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Component.class));
        List<Class<?>> classes = new ArrayList<>();
        for (BeanDefinition d : scanner.findCandidateComponents(WorkerConfiguration.class.getPackageName())) {
            classes.add(Class.forName(d.getBeanClassName()));
        }
        return classes;
    }

    static Set<String> constants(Class<?> holder) {
        Set<String> values = new HashSet<>();
        for (Field f : holder.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    values.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }
}
