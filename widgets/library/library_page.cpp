#include "widgets/library/library_page.h"
#include "widgets/library/finetune_dialog.h"

#include "widgets/core/library_service.h"
#include "widgets/core/shared_files.h"
#include "widgets/library/library_tree_model.h"
#include "widgets/library/model_details.h"
#include "widgets/library/model_importer.h"
#include "widgets/library/run_plots_view.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTextBrowser>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>
#include <QStackedWidget>
#include <QPushButton>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include <algorithm>

namespace aqlm::ui {

LibraryPage::LibraryPage(LibraryService* library, QWidget* parent) : QWidget(parent), m_library(library) {
    m_model = new LibraryTreeModel(library, this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(LibraryTreeModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);  // any column: name, architecture, scheme...
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setRecursiveFilteringEnabled(true);  // a matching variant keeps its base model visible
    m_importer = new ModelImporter(library, this);

    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter by name, architecture, format or scheme"));
    m_filter->setClearButtonEnabled(true);
    m_busy = new QLabel;

    m_view = new QTreeView;
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(LibraryTreeModel::Name, Qt::AscendingOrder);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->header()->setStretchLastSection(false);

    m_details = new QTextBrowser;
    m_details->setOpenLinks(false);
    m_details->setPlaceholderText(tr("Select a model to see its details."));

    auto* toolbar = new QToolBar;
    buildActions();
    for (QAction* a : {m_importFile, m_importFolder, m_delete, m_reveal, m_plots, m_compress, m_finetune})
        toolbar->addAction(a);

    auto* top = new QHBoxLayout;
    top->addWidget(toolbar);
    top->addStretch(1);
    top->addWidget(m_busy);
    top->addWidget(m_filter);
    m_filter->setMinimumWidth(260);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({880, 480});

    m_split = split;
    m_stack = new QStackedWidget;
    m_stack->addWidget(split);
    m_stack->addWidget(buildWelcome());
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filter, &QLineEdit::textChanged, m_view, &QTreeView::expandAll);
    // A reload (any library write) keeps the selected model selected.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_selectedBeforeReset = selectedModelId(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->expandAll();
        fitColumns();
        // Something is always selected when there is something, so the details pane is never idle.
        if (!selectModel(m_selectedBeforeReset) && m_proxy->rowCount() > 0) m_view->setCurrentIndex(m_proxy->index(0, 0));
        updateDetails();
        updateActions();
        updateEmptyState();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateDetails();
        updateActions();
    });
    connect(m_view, &QTreeView::doubleClicked, this, [this] { showPlotsOfSelected(); });
    connect(m_importer, &ModelImporter::imported, this, [this](qint64 id) {
        selectModel(id);
        Q_EMIT statusMessage(tr("Model imported"));
    });
    connect(m_importer, &ModelImporter::importFailed, this, [this](const QString& path, const QString& error) {
        message(QMessageBox::Warning, tr("Import failed"),
                tr("%1 was not imported:\n%2").arg(QDir::toNativeSeparators(path), error));
    });
    connect(m_importer, &ModelImporter::scanFinished, this, &LibraryPage::reportScan);
    connect(m_importer, &ModelImporter::busyChanged, this, [this](bool busy) {
        m_busy->setText(busy ? tr("Loading models…") : QString());
    });
    m_view->expandAll();
    fitColumns();
    if (m_proxy->rowCount() > 0) m_view->setCurrentIndex(m_proxy->index(0, 0));
    updateActions();
    updateEmptyState();
}

QString LibraryPage::bundledExample() {
    const QString installed = findInstalledExample(QStringLiteral("stories260K.bin"));
    return installed.isEmpty() ? findSharedFile({QStringLiteral("models/stories260K/stories260K.bin")}) : installed;
}

QWidget* LibraryPage::buildWelcome() {
    m_welcome = new QWidget;
    auto* text = new QLabel(
        tr("<h2>Welcome to AQLM Studio</h2>"
           "<p>AQLM Studio compresses Llama-family language models to 2–4 bits per weight with AQLM "
           "(and the GPTQ and RTN baselines), shows how each layer fares while it works, measures "
           "perplexity and speed, compares the results and lets you chat with them.</p>"
           "<p><b>Start by importing a model:</b> a llama2.c <tt>.bin</tt> checkpoint or a Hugging Face "
           "folder (<tt>config.json</tt>, <tt>*.safetensors</tt> and the tokenizer). Models you compress "
           "are added here automatically.</p>"
           "<p><b>Where models come from:</b> the Hugging Face Hub (for example TinyLlama or Llama 2 in "
           "safetensors form) or the llama2.c TinyStories checkpoints (stories15M, stories260K). "
           "Download them with your browser or the Hugging Face tools, then import the file or folder.</p>"));
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setMaximumWidth(760);
    auto* importFileButton = new QPushButton(tr("Import a model file…"));
    auto* importFolderButton = new QPushButton(tr("Import a model folder…"));
    m_example = new QPushButton(tr("Add the example model (stories260K)"));
    const QString example = bundledExample();
    m_example->setVisible(!example.isEmpty());
    m_example->setToolTip(example);
    connect(importFileButton, &QPushButton::clicked, this, &LibraryPage::chooseAndImportFile);
    connect(importFolderButton, &QPushButton::clicked, this, &LibraryPage::chooseAndImportFolder);
    connect(m_example, &QPushButton::clicked, this, [this] {
        const QString path = bundledExample();
        if (!path.isEmpty()) importFile(path);
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(importFileButton);
    buttons->addWidget(importFolderButton);
    buttons->addWidget(m_example);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(m_welcome);
    layout->addWidget(text);
    layout->addLayout(buttons);
    layout->addStretch(1);
    return m_welcome;
}

bool LibraryPage::isShowingWelcome() const { return m_stack && m_stack->currentWidget() == m_welcome; }

void LibraryPage::updateEmptyState() {
    if (!m_stack) return;
    const bool empty = m_model->rowCount() == 0;
    m_stack->setCurrentWidget(empty ? m_welcome : m_split);
}

void LibraryPage::fitColumns() {
    for (int c = 0; c < LibraryTreeModel::ColumnCount; ++c) m_view->resizeColumnToContents(c);
    // Names are what one reads first: never squeeze them below a readable width.
    m_view->setColumnWidth(LibraryTreeModel::Name, std::max(m_view->columnWidth(LibraryTreeModel::Name), 220));
}

void LibraryPage::buildActions() {
    m_importFile = new QAction(tr("Import file…"), this);
    m_importFile->setToolTip(tr("Add a llama2.c checkpoint or a model file to the library"));
    m_importFolder = new QAction(tr("Import folder…"), this);
    m_importFolder->setToolTip(tr("Add a Hugging Face folder, or every model found below a folder"));
    m_delete = new QAction(tr("Delete…"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_reveal = new QAction(tr("Reveal on disk"), this);
    m_plots = new QAction(tr("Show run plots"), this);
    m_plots->setToolTip(tr("Plot the stored reports of the run that made or used this model"));
    m_compress = new QAction(tr("Compress…"), this);
    m_compress->setToolTip(tr("Open the Compress page with this model"));
    m_finetune = new QAction(tr("Fine-tune…"), this);
    m_finetune->setToolTip(tr("Fine-tune this compressed model against its original (PV-Tuning), into a new variant"));
    m_finetune->setVisible(false);  // until setJobs
    connect(m_finetune, &QAction::triggered, this, [this] { showFinetune(selectedModelId()); });
    connect(m_importFile, &QAction::triggered, this, &LibraryPage::chooseAndImportFile);
    connect(m_importFolder, &QAction::triggered, this, &LibraryPage::chooseAndImportFolder);
    connect(m_delete, &QAction::triggered, this, [this] { deleteModel(selectedModelId()); });
    connect(m_reveal, &QAction::triggered, this, [this] { revealModel(selectedModelId()); });
    connect(m_plots, &QAction::triggered, this, &LibraryPage::showPlotsOfSelected);
    connect(m_compress, &QAction::triggered, this, [this] {
        if (const auto m = m_library->db().findModel(selectedModelId()))
            Q_EMIT compressRequested(QString::fromStdString(m->path));
    });
}

void LibraryPage::setJobs(JobController* jobs, JobLibraryRecorder* recorder) {
    m_jobs = jobs;
    m_recorder = recorder;
    m_finetune->setVisible(jobs != nullptr);
    updateActions();
}

FinetuneDialog* LibraryPage::showFinetune(qint64 modelId) {
    const auto variant = m_library->db().findVariantOf(modelId);
    if (!m_jobs || !variant || variant->method != "aqlm") return nullptr;
    // The model's dialog is reused; another model's is replaced, unless its run goes on (it stays open).
    if (m_finetuneDialog && m_finetuneDialog->studentModelId() != modelId) {
        if (!m_finetuneDialog->isRunning()) m_finetuneDialog->deleteLater();
        m_finetuneDialog = nullptr;
    }
    if (!m_finetuneDialog) {
        m_finetuneDialog = new FinetuneDialog(m_library, m_jobs, m_recorder, modelId, this);
        m_finetuneDialog->setWindowFlag(Qt::Window);
        connect(m_finetuneDialog, &FinetuneDialog::statusMessage, this, &LibraryPage::statusMessage);
        connect(m_finetuneDialog, &FinetuneDialog::variantRegistered, this, [this](qint64 id) { selectModel(id); });
    }
    m_finetuneDialog->show();
    m_finetuneDialog->raise();
    m_finetuneDialog->activateWindow();
    return m_finetuneDialog;
}

void LibraryPage::message(QMessageBox::Icon icon, const QString& title, const QString& text) {
    if (m_messageHook) {
        m_messageHook(icon, title, text);
        return;
    }
    QMessageBox box(icon, title, text, QMessageBox::Ok, this);
    box.exec();
}

qint64 LibraryPage::selectedModelId() const {
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(LibraryTreeModel::ModelIdRole).toLongLong() : 0;
}

bool LibraryPage::selectModel(qint64 modelId) {
    const QModelIndex index = m_proxy->mapFromSource(m_model->indexOfModel(modelId));
    if (!index.isValid()) return false;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void LibraryPage::updateDetails() {
    const qint64 id = selectedModelId();
    m_details->setHtml(id ? modelDetailsHtml(m_library->db(), id) : QString());
}

void LibraryPage::updateActions() {
    const bool selected = selectedModelId() != 0;
    for (QAction* a : {m_delete, m_reveal, m_plots, m_compress}) a->setEnabled(selected);
    // Only AQLM variants can be fine-tuned (the engine trains codebooks and codes).
    const auto variant = selected ? m_library->db().findVariantOf(selectedModelId()) : std::nullopt;
    m_finetune->setEnabled(m_jobs && variant && variant->method == "aqlm");
}

void LibraryPage::chooseAndImportFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a model file"), QString(),
                                                      tr("Models (*.bin *.safetensors);;All files (*)"));
    if (path.isEmpty()) return;
    // A .safetensors file belongs to a Hugging Face folder: import the folder.
    importFile(path.endsWith(QLatin1String(".safetensors")) ? QFileInfo(path).absolutePath() : path);
}

void LibraryPage::chooseAndImportFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import models from a folder"));
    if (!folder.isEmpty()) importFolder(folder);
}

void LibraryPage::importFile(const QString& path) {
    Q_EMIT statusMessage(tr("Loading %1…").arg(QDir::toNativeSeparators(path)));
    m_importer->importPath(path);
}

void LibraryPage::importFolder(const QString& folder) {
    // A Hugging Face folder is one model; any other folder is searched for models.
    if (QFileInfo::exists(QDir(folder).filePath(QStringLiteral("config.json"))))
        importFile(folder);
    else {
        Q_EMIT statusMessage(tr("Searching %1 for models…").arg(QDir::toNativeSeparators(folder)));
        m_importer->scanFolder(folder);
    }
}

void LibraryPage::reportScan(const ScanSummary& summary) {
    QString text = tr("%n model(s) imported from %1.", nullptr, int(summary.importedIds.size()))
                       .arg(QDir::toNativeSeparators(summary.folder));
    if (!summary.skipped.isEmpty()) {
        QStringList lines;
        for (const auto& [path, why] : summary.skipped) lines << QStringLiteral("• %1").arg(why);
        text += QLatin1Char('\n') + tr("%n file(s) skipped:", nullptr, int(summary.skipped.size())) +
                QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
    }
    if (!summary.importedIds.isEmpty()) selectModel(summary.importedIds.first());
    Q_EMIT statusMessage(tr("%n model(s) imported", nullptr, int(summary.importedIds.size())));
    message(summary.importedIds.isEmpty() && !summary.skipped.isEmpty() ? QMessageBox::Warning
                                                                          : QMessageBox::Information,
            tr("Folder scanned"), text);
}

bool LibraryPage::deleteModel(qint64 modelId) {
    aqlm::ModelLibrary& db = m_library->db();
    const auto model = modelId ? db.findModel(modelId) : std::nullopt;
    if (!model) return false;
    const QString path = QString::fromStdString(model->path);
    const int variants = int(db.listVariants(modelId).size());
    QString question = tr("Remove %1 from the library?").arg(QString::fromStdString(model->name));
    if (variants > 0)
        question += QLatin1Char('\n') +
                    tr("Its %n variant(s) and all runs and evaluations of it leave the library too (their files stay).",
                       nullptr, variants);
    bool deleteFiles = false;
    bool accepted = false;
    if (m_deleteQuestion) {
        accepted = m_deleteQuestion(question, &deleteFiles);
    } else {
        QMessageBox box(QMessageBox::Question, tr("Delete model"), question, QMessageBox::Yes | QMessageBox::Cancel, this);
        auto* files = new QCheckBox(tr("Also delete %1 from disk").arg(QDir::toNativeSeparators(path)));
        box.setCheckBox(files);
        box.setDefaultButton(QMessageBox::Cancel);
        accepted = box.exec() == QMessageBox::Yes;
        deleteFiles = files->isChecked();
    }
    if (!accepted) return false;
    QString error;
    if (!m_library->guarded(tr("Could not delete %1: %2").arg(QString::fromStdString(model->name), QStringLiteral("%1")),
                            [&] { db.deleteModel(modelId); }, &error)) {
        message(QMessageBox::Critical, tr("Delete model"), error);
        return false;
    }
    m_library->notifyChanged();
    if (deleteFiles) {
        const QFileInfo info(path);
        const bool removed = info.isDir() ? QDir(path).removeRecursively() : QFile::remove(path);
        if (!removed && info.exists())
            message(QMessageBox::Warning, tr("Delete model"),
                    tr("%1 left the library but could not be deleted from disk.").arg(QDir::toNativeSeparators(path)));
    }
    Q_EMIT statusMessage(tr("%1 deleted").arg(QString::fromStdString(model->name)));
    return true;
}

void LibraryPage::revealModel(qint64 modelId) {
    const auto model = m_library->db().findModel(modelId);
    if (!model) return;
    const QFileInfo info(QString::fromStdString(model->path));
    if (!info.exists()) {
        message(QMessageBox::Warning, tr("Reveal on disk"),
                tr("%1 no longer exists.").arg(QDir::toNativeSeparators(info.filePath())));
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(info.isDir() ? info.filePath() : info.absolutePath()));
}

void LibraryPage::showPlotsOfSelected() {
    const qint64 id = selectedModelId();
    if (!id) return;
    QList<aqlm::RunRecord> runs;
    for (const aqlm::RunRecord& r : runsOfModel(m_library->db(), id))
        if (r.status != aqlm::RunStatus::Queued) runs << r;
    if (runs.isEmpty()) {
        message(QMessageBox::Information, tr("Run plots"), tr("No compression run of this model is stored."));
        return;
    }
    qint64 runId = runs.first().id;
    if (runs.size() > 1) {
        QStringList items;
        for (const aqlm::RunRecord& r : runs)
            items << tr("Run #%1 %2 (%3) into %4")
                         .arg(r.id)
                         .arg(QString::fromStdString(r.method), QString::fromLatin1(aqlm::runStatusName(r.status)),
                              QString::fromStdString(r.outputPath));
        bool ok = false;
        const QString chosen = QInputDialog::getItem(this, tr("Run plots"), tr("Run:"), items, 0, false, &ok);
        if (!ok) return;
        runId = runs.at(items.indexOf(chosen)).id;
    }
    showRunPlots(runId);
}

RunPlotsView* LibraryPage::showRunPlots(qint64 runId) {
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Compression run #%1").arg(runId));
    auto* view = new RunPlotsView;
    auto* layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    if (!view->showRun(m_library->db(), runId)) {
        delete dialog;
        return nullptr;
    }
    dialog->resize(1000, 760);
    dialog->show();
    return view;
}

}  // namespace aqlm::ui
