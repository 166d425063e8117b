#include "widgets/compress/compress_settings_form.h"

#include "widgets/compress/calibration_token_counter.h"
#include "widgets/compress/settings_check.h"
#include "widgets/core/app_settings.h"
#include "widgets/core/library_service.h"
#include "widgets/core/shared_files.h"

#include "engine/api/engine_facade.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace aqlm::ui {

namespace {
QSpinBox* spinBox(int min, int max, const QString& special = {}) {
    auto* box = new QSpinBox;
    box->setRange(min, max);
    if (!special.isEmpty()) box->setSpecialValueText(special);
    return box;
}

// Red text under a field saying why its value cannot run; hidden while there is nothing to say.
QLabel* problemLabel(const char* color = "#c00000") {
    auto* label = new QLabel;
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(QLatin1String(color)));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setVisible(false);
    return label;
}

QWidget* withProblem(QWidget* field, QLabel* problem) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    layout->addWidget(problem);
    return box;
}

void showProblem(QLabel* label, const QString& text) {
    label->setText(text);
    label->setVisible(!text.isEmpty());
}
}  // namespace

CompressSettingsForm::CompressSettingsForm(QWidget* parent) : QWidget(parent), m_presets(compressionPresets()) {
    m_tokenCounter = new CalibrationTokenCounter(this);
    // A count arriving changes what Start may do: the page rechecks on settingsChanged.
    connect(m_tokenCounter, &CalibrationTokenCounter::counted, this, [this] {
        updateProblems();
        Q_EMIT settingsChanged();
    });
    m_model = new QLineEdit;
    m_model->setPlaceholderText(tr("llama2.c .bin or Hugging Face folder"));
    m_out = new QLineEdit;
    m_preset = new QComboBox;
    for (const CompressionPreset& p : m_presets) m_preset->addItem(p.name);
    m_codebooks = spinBox(1, 8);
    m_bits = spinBox(1, 16);
    m_group = spinBox(1, 1024);
    m_epochs = spinBox(0, 1000);
    m_finetuneEpochs = spinBox(0, 1000, tr("off"));
    m_samples = spinBox(2, 1 << 20);  // the engine needs two or more
    m_seqLen = spinBox(0, 1 << 20, tr("model context"));
    m_calibration = new QLineEdit;
    m_calibration->setPlaceholderText(tr("UTF-8 text files, separated by ;"));
    m_calibration->setToolTip(tr("Calibration samples are drawn from all of these texts together."));

    m_fromLibrary = new QToolButton;
    m_fromLibrary->setText(tr("Library"));
    m_fromLibrary->setToolTip(tr("Choose a model from the library"));
    m_fromLibrary->setPopupMode(QToolButton::InstantPopup);
    m_libraryMenu = new QMenu(m_fromLibrary);
    m_fromLibrary->setMenu(m_libraryMenu);
    m_fromLibrary->setVisible(false);
    connect(m_libraryMenu, &QMenu::aboutToShow, this, &CompressSettingsForm::fillLibraryMenu);
    auto* modelRow = pathRow(m_model, false, false);
    modelRow->layout()->addWidget(m_fromLibrary);

    m_modelProblem = problemLabel();
    m_outProblem = problemLabel();
    m_calibrationProblem = problemLabel();
    m_presetNote = problemLabel("#b35900");
    m_schemeProblem = problemLabel();
    m_evalProblem = problemLabel();
    m_out->setToolTip(tr("Left empty: a new folder in the data folder's models folder, named after the model and the scheme."));

    auto* files = new QFormLayout;
    files->addRow(tr("Base model:"), withProblem(modelRow, m_modelProblem));
    files->addRow(tr("Output folder:"), withProblem(pathRow(m_out, true, true), m_outProblem));
    files->addRow(tr("Calibration text:"), withProblem(calibrationRow(), m_calibrationProblem));
    files->addRow(tr("Preset:"), withProblem(m_preset, m_presetNote));

    auto* advanced = new QGroupBox(tr("Advanced"));
    auto* form = new QFormLayout(advanced);
    form->addRow(tr("Codebooks (M):"), m_codebooks);
    form->addRow(tr("Bits (per codebook or integer):"), m_bits);
    form->addRow(tr("Group size:"), m_group);
    form->addRow(m_schemeProblem);
    form->addRow(tr("Max epochs per layer:"), m_epochs);
    form->addRow(tr("Fine-tune epochs per block:"), m_finetuneEpochs);
    form->addRow(tr("Calibration samples:"), m_samples);
    form->addRow(tr("Sequence length:"), m_seqLen);

    m_evaluate = new QCheckBox(tr("Evaluate after compression"));
    m_evaluate->setToolTip(tr("Measure the perplexity of the compressed model and store it in the library."));
    m_evalFile = new QLineEdit;
    m_evalFile->setPlaceholderText(tr("UTF-8 validation text"));
    m_evalWindows = spinBox(0, 1 << 20, tr("all"));
    m_evalWindows->setToolTip(tr("Windows of the text to score; fewer is quicker but less precise."));
    auto* evaluation = new QGroupBox(tr("Evaluation"));
    auto* evalForm = new QFormLayout(evaluation);
    evalForm->addRow(m_evaluate);
    evalForm->addRow(tr("Evaluate on:"), pathRow(m_evalFile, false, false));
    evalForm->addRow(tr("Windows:"), m_evalWindows);
    evalForm->addRow(m_evalProblem);
    const QString defaultEval = defaultEvaluationFile();
    m_evalFile->setText(defaultEval);
    m_evaluate->setChecked(!defaultEval.isEmpty());
    connect(m_evaluate, &QCheckBox::toggled, this, [this](bool on) {
        m_evalFile->setEnabled(on);
        m_evalWindows->setEnabled(on);
        updateProblems();
        Q_EMIT settingsChanged();
    });
    m_evalFile->setEnabled(m_evaluate->isChecked());
    m_evalWindows->setEnabled(m_evaluate->isChecked());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(files);
    layout->addWidget(advanced);
    layout->addWidget(evaluation);

    connect(m_preset, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        applyPreset(index);
        showProblem(m_presetNote, {});  // the user's own choice needs no note
    });
    connect(m_model, &QLineEdit::textChanged, this, [this] {
        refreshModelInfo();
        updatePresetAvailability();
        updateOutPlaceholder();
        updateProblems();
        Q_EMIT settingsChanged();
    });
    for (QLineEdit* edit : {m_out, m_calibration, m_evalFile})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            updateOutPlaceholder();
            updateProblems();
            Q_EMIT settingsChanged();
        });
    for (QSpinBox* box : {m_codebooks, m_bits, m_group, m_epochs, m_finetuneEpochs, m_samples, m_seqLen})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, [this] {
            updateOutPlaceholder();
            updateProblems();
            Q_EMIT settingsChanged();
        });
    applyPreset(0);
}

QWidget* CompressSettingsForm::pathRow(QLineEdit* edit, bool directory, bool save) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(tr("Browse…"));
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, directory, save] {
        Q_UNUSED(save);
        const QString start = edit->text().isEmpty() ? QString() : QFileInfo(edit->text()).absolutePath();
        // A model is a file (llama2.c) or a folder (Hugging Face): the file dialog covers the common case.
        const QString chosen = directory ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), start)
                                         : QFileDialog::getOpenFileName(this, tr("Choose a file"), start);
        if (!chosen.isEmpty()) edit->setText(chosen);
    });
    return row;
}

// Several calibration texts (e.g. a domain text beside a general one) go into one ';'-separated field.
QWidget* CompressSettingsForm::calibrationRow() {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(tr("Browse…"));
    layout->addWidget(m_calibration, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QStringList current = calibrationFiles();
        const QString start = current.isEmpty() ? QString() : QFileInfo(current.first()).absolutePath();
        const QStringList chosen = QFileDialog::getOpenFileNames(this, tr("Choose calibration texts"), start);
        if (!chosen.isEmpty()) setCalibrationFiles(chosen);
    });
    return row;
}

void CompressSettingsForm::applyPreset(int index) {
    if (index < 0 || index >= m_presets.size()) return;
    if (m_preset->currentIndex() != index) {
        const QSignalBlocker blocker(m_preset);
        m_preset->setCurrentIndex(index);
    }
    fillFrom(m_presets[index].options);
}

void CompressSettingsForm::fillFrom(const aqlm::CompressionOptions& options) {
    m_base = options;
    m_base.resume = false;  // a resumed run's settings shown here start a new run when edited
    const bool aqlm = m_base.method == aqlm::QuantMethod::Aqlm;
    {
        // One settingsChanged() for the whole preset instead of one per field.
        const QSignalBlocker b1(m_codebooks), b2(m_bits), b3(m_group), b4(m_epochs), b5(m_finetuneEpochs),
            b6(m_samples), b7(m_seqLen);
        m_codebooks->setValue(m_base.scheme.numCodebooks);
        m_bits->setValue(aqlm ? m_base.scheme.nbitsPerCodebook : m_base.bits);
        m_group->setValue(aqlm ? m_base.scheme.inGroupSize : m_base.groupSize);
        m_epochs->setValue(m_base.layer.maxEpochs);
        m_finetuneEpochs->setValue(m_base.finetuneEpochs);
        m_samples->setValue(int(m_base.nsamples));
        m_seqLen->setValue(int(m_base.seqLen));
    }
    updateMethodFields();
    updateOutPlaceholder();
    updateProblems();
    Q_EMIT settingsChanged();
}

void CompressSettingsForm::updateMethodFields() {
    // Codebooks, layer epochs and fine-tuning mean nothing to GPTQ/RTN.
    const bool aqlm = m_base.method == aqlm::QuantMethod::Aqlm && !m_readOnly;
    m_codebooks->setEnabled(aqlm);
    m_epochs->setEnabled(aqlm);
    m_finetuneEpochs->setEnabled(aqlm);
}

bool CompressSettingsForm::applyPresetNamed(const QString& name) {
    for (int i = 0; i < m_presets.size(); ++i)
        if (m_presets[i].name == name) {
            applyPreset(i);
            return true;
        }
    return false;
}

int CompressSettingsForm::presetCount() const { return m_presets.size(); }

aqlm::CompressionOptions CompressSettingsForm::options() const {
    aqlm::CompressionOptions o = m_base;
    if (o.method == aqlm::QuantMethod::Aqlm) {
        o.scheme.numCodebooks = m_codebooks->value();
        o.scheme.nbitsPerCodebook = m_bits->value();
        o.scheme.inGroupSize = m_group->value();
        o.layer.maxEpochs = m_epochs->value();
        o.finetuneEpochs = m_finetuneEpochs->value();
    } else {
        o.bits = m_bits->value();
        o.groupSize = m_group->value();
        o.finetuneEpochs = 0;
    }
    o.nsamples = m_samples->value();
    o.seqLen = m_seqLen->value();
    o.calibrationFiles.clear();
    for (const QString& file : calibrationFiles()) o.calibrationFiles.push_back(file.toStdString());
    return o;
}

QString CompressSettingsForm::modelPath() const { return m_model->text().trimmed(); }
void CompressSettingsForm::setModelPath(const QString& path) { m_model->setText(path); }
void CompressSettingsForm::setOutDir(const QString& path) { m_out->setText(path); }
QStringList CompressSettingsForm::calibrationFiles() const {
    QStringList files;
    for (const QString& part : m_calibration->text().split(QLatin1Char(';')))
        if (!part.trimmed().isEmpty()) files << part.trimmed();
    return files;
}
void CompressSettingsForm::setCalibrationFile(const QString& path) { m_calibration->setText(path); }
void CompressSettingsForm::setCalibrationFiles(const QStringList& paths) {
    m_calibration->setText(paths.join(QStringLiteral("; ")));
}

QString CompressSettingsForm::schemeSuffix() const {
    const aqlm::CompressionOptions o = options();
    if (o.method == aqlm::QuantMethod::Aqlm) return QString::fromStdString(o.scheme.toString());
    return QStringLiteral("%1-int%2g%3").arg(QString::fromLatin1(aqlm::quantMethodName(o.method))).arg(o.bits).arg(o.groupSize);
}

QString CompressSettingsForm::outDir() const {
    if (!m_out->text().trimmed().isEmpty()) return m_out->text().trimmed();
    if (modelPath().isEmpty()) return {};
    // Compressed models live in the data folder (Settings), never beside the original model,
    // whose folder may be read-only or someone else's.
    // A llama2.c file loses its .bin; a Hugging Face folder keeps its whole name ("TinyLlama-1.1B").
    const QFileInfo model(QDir::cleanPath(modelPath()));
    QString name = model.fileName();
    if (!model.isDir() && name.endsWith(QLatin1String(".bin"), Qt::CaseInsensitive)) name.chop(4);
    return uniqueFolder(QDir(AppSettings::modelsFolder()).filePath(name + QLatin1Char('-') + schemeSuffix()));
}

PostEvaluation CompressSettingsForm::evaluation() const {
    PostEvaluation e;
    if (!evaluateAfter()) return e;
    e.dataPath = evaluationFile();
    e.maxWindows = m_evalWindows->value();
    return e;  // seqLen 0: the model's context, as EVALUATION.md prescribes
}

bool CompressSettingsForm::evaluateAfter() const { return m_evaluate->isChecked() && !evaluationFile().isEmpty(); }
void CompressSettingsForm::setEvaluateAfter(bool on) { m_evaluate->setChecked(on); }
QString CompressSettingsForm::evaluationFile() const { return m_evalFile->text().trimmed(); }
void CompressSettingsForm::setEvaluationFile(const QString& path) { m_evalFile->setText(path); }
void CompressSettingsForm::setEvaluationWindows(int maxWindows) { m_evalWindows->setValue(maxWindows); }

QString CompressSettingsForm::defaultEvaluationFile() {
    const QString shared = findSharedFile({QStringLiteral("data/tinystories/tinystories_valid_head.txt"),
                                           QStringLiteral("data/wikitext-2-raw/wiki.valid.raw")});
    return shared.isEmpty() ? findInstalledExample(QStringLiteral("tinystories-valid-sample.txt")) : shared;
}

void CompressSettingsForm::setLibrary(LibraryService* library) {
    m_library = library;
    m_fromLibrary->setVisible(library != nullptr);
}

void CompressSettingsForm::fillLibraryMenu() {
    m_libraryMenu->clear();
    if (!m_library) return;
    std::vector<aqlm::ModelRecord> models;
    try {
        models = m_library->db().listModels();
    } catch (const std::exception& e) {
        m_libraryMenu->addAction(QString::fromUtf8(e.what()))->setEnabled(false);
        return;
    }
    if (models.empty()) m_libraryMenu->addAction(tr("The library is empty"))->setEnabled(false);
    for (const aqlm::ModelRecord& m : models) {
        const QString path = QString::fromStdString(m.path);
        QAction* action = m_libraryMenu->addAction(
            QStringLiteral("%1  (%2)").arg(QString::fromStdString(m.name), QString::fromStdString(m.format)));
        action->setToolTip(path);
        connect(action, &QAction::triggered, this, [this, path] { setModelPath(path); });
    }
}

void CompressSettingsForm::updateOutPlaceholder() {
    m_out->setPlaceholderText(m_out->text().isEmpty() && !modelPath().isEmpty()
                                  ? outDir()
                                  : tr("a new folder in %1").arg(QDir::toNativeSeparators(AppSettings::modelsFolder())));
}

void CompressSettingsForm::refreshModelInfo() {
    const QString path = modelPath();
    if (path == m_infoPath) return;
    m_infoPath = path;
    m_hasInfo = false;
    m_info = {};
    m_modelError.clear();
    if (path.isEmpty()) return;
    if (!QFileInfo::exists(path)) {
        m_modelError = tr("No such file or folder: %1").arg(path);
        return;
    }
    // Headers only (the estimate label reads the same): quick enough for the GUI thread.
    try {
        m_info = aqlm::inspectModel(path.toStdString());
        m_hasInfo = true;
    } catch (const std::exception& e) {
        m_modelError = QString::fromUtf8(e.what());
        return;
    }
    // The installed example model has its calibration text beside it: a first compression needs no search.
    const QString sample = QFileInfo(path).dir().filePath(QStringLiteral("tinystories-train-sample.txt"));
    if (m_calibration->text().trimmed().isEmpty() && QFileInfo(path).isFile() && QFileInfo(sample).isFile())
        m_calibration->setText(sample);
}

QString CompressSettingsForm::presetProblem(int index) const {
    if (!m_hasInfo || index < 0 || index >= m_presets.size()) return {};
    return schemeProblem(m_info, m_presets[index].options);
}

bool CompressSettingsForm::presetEnabled(int index) const {
    const auto* model = qobject_cast<const QStandardItemModel*>(m_preset->model());
    return model && model->item(index) && model->item(index)->isEnabled();
}

int CompressSettingsForm::currentPreset() const { return m_preset->currentIndex(); }
QString CompressSettingsForm::presetNote() const { return m_presetNote->isHidden() ? QString() : m_presetNote->text(); }

// Presets that cannot run on the chosen model are greyed out with the reason; when the chosen one
// is among them, the form moves to the first that fits and says so under the preset.
void CompressSettingsForm::updatePresetAvailability() {
    auto* model = qobject_cast<QStandardItemModel*>(m_preset->model());
    if (!model) return;
    int firstFitting = -1;
    for (int i = 0; i < m_presets.size(); ++i) {
        const QString problem = presetProblem(i);
        model->item(i)->setEnabled(problem.isEmpty());
        m_preset->setItemData(i, problem.isEmpty() ? QVariant() : QVariant(tr("Does not fit this model. %1").arg(problem)),
                              Qt::ToolTipRole);
        if (problem.isEmpty() && firstFitting < 0) firstFitting = i;
    }
    const int current = m_preset->currentIndex();
    const QString problem = presetProblem(current);
    if (problem.isEmpty() || firstFitting < 0 || m_readOnly) {
        if (problem.isEmpty()) showProblem(m_presetNote, {});
        return;
    }
    const QString from = m_presets[current].name;
    applyPreset(firstFitting);
    showProblem(m_presetNote, tr("“%1” does not fit this model, so “%2” was chosen. %3")
                                  .arg(from, m_presets[firstFitting].name, problem));
}

QString CompressSettingsForm::modelProblem() const {
    if (modelPath().isEmpty()) return tr("Choose a model to compress.");
    return m_modelError;
}

QString CompressSettingsForm::outProblem() const {
    if (modelPath().isEmpty() && m_out->text().trimmed().isEmpty()) return {};
    return outputFolderProblem(outDir());
}

QString CompressSettingsForm::calibrationProblemText() const {
    const qint64 window = m_hasInfo ? calibrationWindowTokens(m_info, options()) : 0;
    if (const QString p = calibrationProblem(calibrationFiles(), window); !p.isEmpty()) return p;
    if (!needsTokenCount()) return {};
    // Sizes leave it open: the exact count decides, and Start waits for it.
    switch (m_tokenCounter->state(m_infoPath, calibrationFiles())) {
    case CalibrationTokenCounter::State::Counted: return calibrationTokensProblem(m_tokenCounter->tokens(), window);
    case CalibrationTokenCounter::State::Failed:
        return tr("Cannot read the calibration text with this model's tokenizer: %1").arg(m_tokenCounter->error());
    default: return tr("Counting the tokens of the calibration text…");
    }
}

bool CompressSettingsForm::needsTokenCount() const {
    if (!m_hasInfo || calibrationFiles().isEmpty()) return false;
    return !calibrationSurelyLongEnough(calibrationFiles(), calibrationWindowTokens(m_info, options()));
}

QString CompressSettingsForm::evaluationProblem() const {
    if (!m_evaluate->isChecked()) return {};
    if (evaluationFile().isEmpty()) return tr("Choose a validation text, or turn evaluation off.");
    const QFileInfo file(evaluationFile());
    if (!file.isFile() || !file.isReadable()) return tr("Validation text not found: %1").arg(evaluationFile());
    if (file.size() == 0) return tr("The validation text %1 is empty.").arg(evaluationFile());
    return {};
}

QStringList CompressSettingsForm::problems() const {
    QStringList all;
    for (const QString& p : {modelProblem(), m_hasInfo ? schemeProblem(m_info, options()) : QString(), outProblem(),
                             calibrationProblemText(), evaluationProblem()})
        if (!p.isEmpty()) all << p;
    return all;
}

void CompressSettingsForm::updateProblems() {
    if (needsTokenCount() && calibrationProblem(calibrationFiles(), calibrationWindowTokens(m_info, options())).isEmpty())
        m_tokenCounter->request(m_infoPath, calibrationFiles());
    // Nothing is red before a model is chosen: the first screen should invite, not scold.
    const bool chosen = !modelPath().isEmpty();
    showProblem(m_modelProblem, chosen ? modelProblem() : QString());
    showProblem(m_schemeProblem, m_hasInfo ? schemeProblem(m_info, options()) : QString());
    showProblem(m_outProblem, m_readOnly ? QString() : outProblem());
    showProblem(m_calibrationProblem, chosen ? calibrationProblemText() : QString());
    showProblem(m_evalProblem, chosen ? evaluationProblem() : QString());
}

void CompressSettingsForm::recheck() {
    updateOutPlaceholder();
    updateProblems();
}

void CompressSettingsForm::setReadOnly(bool readOnly) {
    m_readOnly = readOnly;
    for (QLineEdit* edit : findChildren<QLineEdit*>()) edit->setReadOnly(readOnly);
    for (QSpinBox* box : findChildren<QSpinBox*>()) box->setReadOnly(readOnly);
    for (QWidget* w : std::initializer_list<QWidget*>{m_preset, m_evaluate, m_fromLibrary}) w->setEnabled(!readOnly);
    for (QPushButton* b : findChildren<QPushButton*>()) b->setEnabled(!readOnly);
    if (!readOnly) {
        m_evalFile->setEnabled(m_evaluate->isChecked());
        m_evalWindows->setEnabled(m_evaluate->isChecked());
    }
    updateMethodFields();
    updateProblems();
}

void CompressSettingsForm::showRun(const QString& modelPath, const QString& outDir,
                                   const aqlm::CompressionOptions& options) {
    setModelPath(modelPath);
    setOutDir(outDir);
    QStringList calibration;
    for (const std::string& f : options.calibrationFiles) calibration << QString::fromStdString(f);
    setCalibrationFiles(calibration);
    fillFrom(options);
    for (int i = 0; i < m_presets.size(); ++i) {
        const aqlm::CompressionOptions& p = m_presets[i].options;
        const bool same = p.method == options.method &&
                          (p.method == aqlm::QuantMethod::Aqlm ? p.scheme.toString() == options.scheme.toString()
                                                               : p.bits == options.bits && p.groupSize == options.groupSize);
        if (same) {
            const QSignalBlocker b(m_preset);
            m_preset->setCurrentIndex(i);
            break;
        }
    }
    showProblem(m_presetNote, {});
    updateProblems();
    Q_EMIT settingsChanged();
}

}  // namespace aqlm::ui
