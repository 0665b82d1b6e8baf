package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.CallActivity;
import io.camunda.zeebe.model.bpmn.instance.EndEvent;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.UserTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeCalledElement;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeExecutionListenerEventType;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeExecutionListeners;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeFormDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeInput;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeIoMapping;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeUserTask;
import io.github.odooupgrade.notify.Notification;
import io.github.odooupgrade.process.UpgradeProcess.ErrorCode;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The campaign model is what its code names: its elements, one job type per service task, its BPMN
 * error caught, its approval a native user task with its form, and the upgrade it calls given the
 * start variables the upgrade's own start form gives.
 */
class CampaignModelTest {
    final BpmnModelInstance model = Bpmn.readModelFromFile(Path.of("bpmn/odoo-upgrade-campaign.bpmn").toFile());

    @Test
    void theModelValidatesAndHasTheElementsAndJobTypesTheCodeNames() {
        Bpmn.validateModel(model);
        assertThat((Object) model.getModelElementById(CampaignProcess.PROCESS_ID)).isNotNull();
        for (String id : ProcessModelTest.constants(CampaignProcess.Element.class)) {
            assertThat((Object) model.getModelElementById(id)).as("element %s", id).isNotNull();
        }
        List<String> types = model.getModelElementsByType(ServiceTask.class).stream()
                .map(t -> t.getSingleExtensionElement(ZeebeTaskDefinition.class).getType()).toList();
        assertThat(types).containsExactlyInAnyOrderElementsOf(ProcessModelTest.constants(CampaignProcess.JobType.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLimitsNameTransferAndDatabaseJobTypesOfTheModel() throws IOException {
        Map<String, Object> yaml;
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.yaml"))) {
            yaml = new Yaml().load(in);
        }
        Map<String, Object> overrides = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) yaml.get("camunda"))
                .get("client")).get("worker");
        assertThat(((Map<String, Object>) overrides.get("override")).keySet()).containsExactlyInAnyOrder(UpgradeProcess.JobType.UPLOAD_HTTPS,
                UpgradeProcess.JobType.UPLOAD_SFTP, UpgradeProcess.JobType.DOWNLOAD, UpgradeProcess.JobType.DUMP_DATABASE,
                UpgradeProcess.JobType.RESTORE_DATABASE);
    }

    @Test
    void bothEndsOfACampaignTellAPersonThroughTheModel() {
        for (String end : List.of(CampaignProcess.Element.END, CampaignProcess.Element.END_REFUSED)) {
            EndEvent e = model.getModelElementById(end);
            assertThat(e.getSingleExtensionElement(ZeebeExecutionListeners.class).getExecutionListeners()).as(end)
                    .anyMatch(l -> l.getEventType() == ZeebeExecutionListenerEventType.start && l.getType().equals(UpgradeProcess.JobType.NOTIFY));
        }
        Notification ended = Notification.of(CampaignProcess.Element.END, Map.of(CampaignProcess.Var.SUMMARY, List.of(
                Map.of("item", 1, "name", "a.sql", "outcome", "upgraded"), Map.of("item", 2, "name", "b.sql", "outcome", "failed")),
                CampaignProcess.Var.SUMMARY_HTML, "/upgrades/campaign-7/summary.html"), Instant.now());
        assertThat(ended.text()).startsWith("Campaign ended: 1 of 2 upgraded\n").contains("item 2 b.sql: failed",
                "Summary: /upgrades/campaign-7/summary.html");
        assertThat(Notification.of(CampaignProcess.Element.END_REFUSED, Map.of(Var.INPUT_ERRORS, List.of("item 2: dumpFile …")),
                Instant.now()).subject()).isEqualTo("Campaign refused: its list");
    }

    @Test
    void everyBpmnErrorItsWorkersThrowIsCaught() {
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            for (String code : ErrorCode.thrownBy(task.getSingleExtensionElement(ZeebeTaskDefinition.class).getType())) {
                assertThat(ProcessModelTest.catchers(model, task, code)).as("%s throws %s", task.getId(), code).isNotEmpty();
            }
        }
    }

    @Test
    void theApprovalIsANativeUserTaskWithItsForm() throws IOException {
        UserTask approval = model.getModelElementById(CampaignProcess.Element.APPROVE);
        assertThat(approval.getSingleExtensionElement(ZeebeUserTask.class)).isNotNull();
        assertThat(approval.getSingleExtensionElement(ZeebeFormDefinition.class).getFormId()).isEqualTo(CampaignProcess.Form.APPROVAL);
        assertThat(ProcessModelTest.keys(ProcessModelTest.forms().get(CampaignProcess.Form.APPROVAL))).containsExactlyInAnyOrder(
                CampaignProcess.Var.APPROVAL, CampaignProcess.Var.DROPPED_ITEMS, Var.APPROVER,
                Var.APPROVAL_COMMENT);
        // its listener tells the approver, with the list
        Notification told = Notification.of(CampaignProcess.Element.APPROVE, Map.of(CampaignProcess.Var.PRODUCTION_ITEMS, 2,
                CampaignProcess.Var.APPROVAL_LIST, "| 4 | d.sql | 13.0 | - |\n| 5 | e.sql | 13.0 | - |\n"), Instant.now());
        assertThat(told.text()).startsWith("Approval needed: a campaign's production upgrades\nA campaign's 2 production upgrades")
                .contains("| 5 | e.sql |");
    }

    @Test
    void itsStartFormNamesAFolderOfDumpsAndTheChoicesTheItemsShare() throws IOException {
        StartEvent start = model.getModelElementsByType(StartEvent.class).iterator().next();
        assertThat(start.getSingleExtensionElement(ZeebeFormDefinition.class).getFormId()).isEqualTo(CampaignProcess.Form.START);
        // what the form asks is what the items of its folder share, no more, no less
        List<String> shared = new java.util.ArrayList<>(CampaignItems.SHARED);
        shared.add(CampaignProcess.Var.DUMPS_DIR);
        assertThat(ProcessModelTest.keys(ProcessModelTest.forms().get(CampaignProcess.Form.START))).containsExactlyInAnyOrderElementsOf(shared)
                .contains(Var.PLATFORM_API, Var.WIPE_AFTER, Var.EMAIL, Var.TARGET, Var.AIM, Var.UPLOAD_METHOD, Var.SKIP_TESTS);
    }

    @Test
    void eachItemStartsTheUpgradeWithTheVariablesItsStartFormGives() throws IOException {
        CallActivity each = model.getModelElementById(CampaignProcess.Element.UPGRADE_EACH);
        assertThat(each.getSingleExtensionElement(ZeebeCalledElement.class).getProcessId()).isEqualTo(UpgradeProcess.PROCESS_ID);
        List<String> targets = each.getSingleExtensionElement(ZeebeIoMapping.class).getInputs().stream().map(ZeebeInput::getTarget).toList();
        List<String> startFormKeys = ProcessModelTest.keys(ProcessModelTest.forms().get(UpgradeProcess.Form.START));
        Set<String> notFromAnItem = Set.of(Var.CONTRACT, Var.CONTINUE_REQUEST, Var.REQUEST_ID, Var.REQUEST_KEY);
        assertThat(targets).containsAll(startFormKeys.stream().filter(k -> !notFromAnItem.contains(k)).toList())
                .contains(Var.APPROVED_BY_CAMPAIGN, Var.APPROVER, Var.APPROVAL_COMMENT)
                .doesNotContainAnyElementsOf(notFromAnItem);
    }
}
