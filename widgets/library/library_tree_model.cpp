#include "widgets/library/library_tree_model.h"

#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHash>

#include <limits>

namespace aqlm::ui {

double modelBitsPerParameter(const aqlm::ModelRecord& model, const std::optional<aqlm::VariantRecord>& variant) {
    if (variant && variant->modelBits > 0) return variant->modelBits;
    const QString dtype = QString::fromStdString(model.dtype).toLower();
    if (dtype.contains(QLatin1String("32"))) return 32;
    if (dtype.contains(QLatin1String("16"))) return 16;
    if (dtype.contains(QLatin1String("8"))) return 8;
    // Unknown storage: what the files weigh per parameter.
    return model.parameters > 0 ? 8.0 * double(model.bytesOnDisk) / double(model.parameters) : 0.0;
}

LibraryTreeModel::LibraryTreeModel(LibraryService* library, QObject* parent)
    : QAbstractItemModel(parent), m_library(library) {
    if (m_library) connect(m_library, &LibraryService::changed, this, &LibraryTreeModel::reload);
    reload();
}

void LibraryTreeModel::reload() {
    beginResetModel();
    m_nodes.clear();
    m_roots.clear();
    if (m_library) {
        aqlm::ModelLibrary& db = m_library->db();
        QHash<qint64, int> byId;
        for (const aqlm::ModelRecord& m : db.listModels()) {
            Node node;
            node.model = m;
            node.variant = db.findVariantOf(m.id);
            node.best = db.bestPerplexity(m.id);
            byId.insert(m.id, int(m_nodes.size()));
            m_nodes.push_back(std::move(node));
        }
        for (int i = 0; i < int(m_nodes.size()); ++i) {
            Node& node = m_nodes[i];
            int parent = node.variant ? byId.value(node.variant->baseModelId, -1) : -1;
            // A lineage loop cannot come from the engine, but a hand-edited file must not hang the view.
            for (int p = parent, hops = 0; p >= 0; p = m_nodes[p].variant ? byId.value(m_nodes[p].variant->baseModelId, -1) : -1)
                if (p == i || ++hops > int(m_nodes.size())) {
                    parent = -1;
                    break;
                }
            node.parent = parent;
        }
        for (int i = 0; i < int(m_nodes.size()); ++i) {
            std::vector<int>& siblings = m_nodes[i].parent < 0 ? m_roots : m_nodes[m_nodes[i].parent].children;
            m_nodes[i].row = int(siblings.size());
            siblings.push_back(i);
        }
    }
    endResetModel();
}

const std::vector<int>& LibraryTreeModel::childrenOf(const QModelIndex& parent) const {
    if (!parent.isValid()) return m_roots;
    return m_nodes[parent.internalId()].children;
}

QModelIndex LibraryTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0)) return {};
    const std::vector<int>& children = childrenOf(parent);
    if (row < 0 || row >= int(children.size())) return {};
    return createIndex(row, column, quintptr(children[row]));
}

QModelIndex LibraryTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const int p = m_nodes[child.internalId()].parent;
    if (p < 0) return {};
    return createIndex(m_nodes[p].row, 0, quintptr(p));
}

int LibraryTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    return int(childrenOf(parent).size());
}

int LibraryTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QModelIndex LibraryTreeModel::indexOfModel(qint64 modelId) const {
    for (int i = 0; i < int(m_nodes.size()); ++i)
        if (m_nodes[i].model.id == modelId) return createIndex(m_nodes[i].row, 0, quintptr(i));
    return {};
}

qint64 LibraryTreeModel::modelId(const QModelIndex& index) const {
    return index.isValid() ? m_nodes[index.internalId()].model.id : 0;
}

QVariant LibraryTreeModel::display(const Node& n, int column) const {
    switch (column) {
    case Name: return QString::fromStdString(n.model.name);
    case Architecture: return QString::fromStdString(n.model.architecture);
    case Parameters: return n.model.parameters > 0 ? humanCount(n.model.parameters) : QString();
    case FormatOrScheme:
        if (n.variant)
            return QStringLiteral("%1 %2").arg(QString::fromStdString(n.variant->method),
                                              QString::fromStdString(n.variant->scheme));
        return QString::fromStdString(n.model.format);
    case BitsPerParam:
    case QuantizedBitsPerParam: {
        const double bits = sortValue(n, column).toDouble();
        return bits > 0 ? QString::number(bits, 'f', bits < 10 ? 2 : 1) : QString();
    }
    case SizeOnDisk: return humanBytes(n.model.bytesOnDisk);
    case BestPerplexity: return n.best ? QString::number(n.best->perplexity, 'f', 3) : QString();
    case Date: return QDateTime::fromSecsSinceEpoch(n.model.createdAt).toString(QStringLiteral("yyyy-MM-dd hh:mm"));
    default: return {};
    }
}

QVariant LibraryTreeModel::sortValue(const Node& n, int column) const {
    switch (column) {
    case Parameters: return qlonglong(n.model.parameters);
    case BitsPerParam: return modelBitsPerParameter(n.model, n.variant);
    case QuantizedBitsPerParam:
        return n.variant && n.variant->avgBits > 0 ? n.variant->avgBits : modelBitsPerParameter(n.model, n.variant);
    case SizeOnDisk: return qlonglong(n.model.bytesOnDisk);
    // Models without a measurement sort after every measured one.
    case BestPerplexity: return n.best ? n.best->perplexity : std::numeric_limits<double>::infinity();
    case Date: return qlonglong(n.model.createdAt);
    default: return display(n, column).toString().toLower();
    }
}

QVariant LibraryTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const Node& n = m_nodes[index.internalId()];
    switch (role) {
    case Qt::DisplayRole: return display(n, index.column());
    case SortRole: return sortValue(n, index.column());
    case ModelIdRole: return qlonglong(n.model.id);
    case Qt::TextAlignmentRole:
        if (index.column() >= Parameters && index.column() != FormatOrScheme && index.column() != Date)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == BestPerplexity && n.best)
            return tr("Perplexity %1 ± %2 on %3 (%4 windows of %5 tokens)")
                .arg(n.best->perplexity, 0, 'f', 3)
                .arg(n.best->stdError, 0, 'f', 3)
                .arg(QFileInfo(QString::fromStdString(n.best->datasetPath)).fileName())
                .arg(n.best->windows)
                .arg(n.best->seqLen);
        if ((index.column() == BitsPerParam || index.column() == QuantizedBitsPerParam) && n.variant)
            return tr("%1 bits per parameter in the quantized layers, %2 over the whole model")
                .arg(n.variant->avgBits, 0, 'f', 3)
                .arg(n.variant->modelBits, 0, 'f', 3);
        return QString::fromStdString(n.model.path);
    default: return {};
    }
}

QVariant LibraryTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        if (section == BitsPerParam) return tr("Bits per parameter over the whole model (embeddings and norms included)");
        if (section == QuantizedBitsPerParam)
            return tr("Bits per parameter over the quantized layers only (the number AQLM papers report)");
        return {};
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Name");
    case Architecture: return tr("Architecture");
    case Parameters: return tr("Parameters");
    case FormatOrScheme: return tr("Format / scheme");
    // Two lines: the columns stay as narrow as their numbers.
    case BitsPerParam: return tr("Bits/param\n(whole model)");
    case QuantizedBitsPerParam: return tr("Bits/param\n(quantized layers)");
    case SizeOnDisk: return tr("Size on disk");
    case BestPerplexity: return tr("Best PPL");
    case Date: return tr("Added");
    default: return {};
    }
}

}  // namespace aqlm::ui
