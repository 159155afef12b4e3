import VramfitCore

/// The vision tower of a multimodal checkpoint (`vision_config` next to `text_config`), as the
/// `Model.VisionTower` the parameter count and the weights use: its transformer blocks from the
/// dims, and `extraParams` for everything outside the blocks (patch and position embeddings, the
/// encoder's own norms, the projector into the text model).
///
/// Each family's shapes follow its modeling code in Hugging Face transformers, named per case; the
/// tests check the sums against the published checkpoint counts of Gemma-3-27B, Mistral-Small-3.1
/// and Llama-4-Scout. A vision family not listed keeps its blocks and says that the rest is not
/// counted. When safetensors are present the files' exact bytes and count win over all of this.
enum VisionConfigReader {
    struct Result {
        var tower: Model.VisionTower
        var note: String
    }

    /// Parameters outside the blocks stay below this (a thousand times the largest tower released),
    /// so the model's total cannot overflow downstream.
    static let maxExtraParams: Int64 = 1 << 40

    static func read(_ root: JSONValue, textHidden: Int64) throws -> Result? {
        guard let v = root["vision_config"], v.object != nil else { return nil }
        func d(_ k: String, _ limit: Int64, default value: Int64? = nil) throws -> Int64 {
            let given = v[k].flatMap { $0 == .null ? nil : $0 }
            guard let x = given.map({ $0.int }) ?? value else { throw ModelFileError.malformed("vision_config needs a positive '\(k)'") }
            guard x > 0 else { throw ModelFileError.malformed("vision_config needs a positive '\(k)'") }
            guard x <= limit else { throw ModelFileError.tooLarge(what: "vision_config.\(k)", value: x, limit: limit) }
            return x
        }
        /// A root-level integer (projector settings live beside the two configs).
        func r(_ k: String, _ limit: Int64, default value: Int64) throws -> Int64 {
            guard let j = root[k], j != .null else { return value }
            guard let x = j.int, x > 0, x <= limit else { throw ModelFileError.malformed("'\(k)' must be an integer in 1…\(limit)") }
            return x
        }
        let layers = try d("num_hidden_layers", 1024), h = try d("hidden_size", 1 << 16), w = try d("intermediate_size", 1 << 18)
        let visionType = (v["model_type"]?.string ?? "").lowercased()
        let rootType = (root["model_type"]?.string ?? "").lowercased()
        var sum = Sum()

        switch visionType {
        case "siglip_vision_model":
            // transformers modeling_siglip.py: SiglipVisionEmbeddings (patch_embedding Conv2d with
            // bias, position_embedding of (image_size / patch_size)² rows), post_layernorm
            // (LayerNorm, weight and bias), and the pooling head unless `vision_use_head` is false
            // (SiglipVisionTransformer: `use_head` defaults to true when the key is absent).
            // Absent keys take SiglipVisionConfig's defaults (3 channels, 224-pixel images, 16-pixel patches).
            let channels = try d("num_channels", 64, default: 3), patch = try d("patch_size", 1 << 10, default: 16)
            let image = try d("image_size", 1 << 16, default: 224)
            try sum.add(channels, patch, patch, h)
            try sum.add(h)
            try sum.add(image / patch, image / patch, h)
            try sum.add(2, h)
            if v["vision_use_head"]?.bool ?? true {
                // SiglipMultiheadAttentionPoolingHead: probe, nn.MultiheadAttention (in_proj 3h × h
                // + 3h, out_proj h × h + h), LayerNorm, MLP fc1/fc2 with biases.
                try sum.add(h)
                try sum.add(4, h, h)
                try sum.add(4, h)
                try sum.add(2, h)
                try sum.add(2, h, w)
                try sum.add(w)
                try sum.add(h)
            }
            var note = "vision tower (SigLIP, transformers modeling_siglip.py): \(layers) blocks plus patch and position embeddings and the final LayerNorm"
            if rootType == "gemma3" {
                // modeling_gemma3.py Gemma3MultiModalProjector: mm_input_projection_weight
                // (vision hidden × text hidden, no bias) and mm_soft_emb_norm (RMSNorm, weight only).
                try sum.add(h, textHidden)
                try sum.add(h)
                note += ", and the Gemma-3 projector (modeling_gemma3.py)"
            } else {
                note += "; the projector of '\(rootType)' is not counted"
            }
            return try Result(tower: tower(layers, h, w, gated: false, bias: true, sum), note: note)

        case "pixtral":
            // transformers modeling_pixtral.py: patch_conv Conv2d without bias, ln_pre RMSNorm;
            // blocks with bias-free q/k/v/o and a gated MLP, two RMSNorms (weights only).
            // Absent keys take PixtralVisionConfig's defaults (3 channels, 16-pixel patches).
            let channels = try d("num_channels", 64, default: 3), patch = try d("patch_size", 1 << 10, default: 16)
            try sum.add(channels, patch, patch, h)
            try sum.add(h)
            var note = "vision tower (Pixtral, transformers modeling_pixtral.py): \(layers) blocks plus the patch convolution and ln_pre"
            if rootType == "mistral3" {
                // modeling_mistral3.py Mistral3MultiModalProjector: norm (RMSNorm over the vision
                // hidden size), patch_merger.merging_layer (hidden × merge² → hidden, no bias),
                // linear_1 (hidden × feature layers → text hidden) and linear_2 (text → text), with
                // biases when multimodal_projector_bias (Mistral3Config default false).
                let merge = try r("spatial_merge_size", 64, default: 2)
                let featureLayers = Int64(root["vision_feature_layer"]?.array?.count ?? 1)
                guard featureLayers >= 1, featureLayers <= 1024 else { throw ModelFileError.malformed("vision_feature_layer lists no layers or too many") }
                let bias: Int64 = root["multimodal_projector_bias"]?.bool == true ? 1 : 0
                try sum.add(h)
                try sum.add(h, merge, merge, h)
                try sum.add(h, featureLayers, textHidden)
                try sum.add(bias, textHidden)
                try sum.add(textHidden, textHidden)
                try sum.add(bias, textHidden)
                note += ", and the Mistral-3 projector with its patch merger (modeling_mistral3.py)"
            } else {
                note += "; the projector of '\(rootType)' is not counted"
            }
            return try Result(tower: tower(layers, h, w, gated: true, bias: false, sum), note: note)

        case "llama4_vision_model":
            // transformers modeling_llama4.py Llama4VisionModel: patch_embedding (Unfold + Linear
            // channels·patch² → hidden, no bias), class_embedding, positional_embedding_vlm of
            // (image_size / patch_size)² + 1 rows, layernorm_pre and layernorm_post (LayerNorm);
            // vision_adapter Llama4VisionMLP2 fc1 (intermediate_size → projector_input_dim) and fc2
            // (projector_output_dim → projector_output_dim), no biases; Llama4MultiModalProjector
            // linear_1 (vision_output_dim → text hidden, no bias).
            let channels = try d("num_channels", 64, default: 3), patch = try d("patch_size", 1 << 10), image = try d("image_size", 1 << 16)
            let projectorIn = try d("projector_input_dim", 1 << 18), projectorOut = try d("projector_output_dim", 1 << 18)
            let output = try d("vision_output_dim", 1 << 18)
            try sum.add(channels, patch, patch, h)
            try sum.add(h)
            try sum.add(image / patch, image / patch, h)
            try sum.add(h)
            try sum.add(4, h)
            try sum.add(w, projectorIn)
            try sum.add(projectorOut, projectorOut)
            try sum.add(output, textHidden)
            let note = "vision tower (Llama 4, transformers modeling_llama4.py): \(layers) blocks plus patch, class and position embeddings, "
                + "the two LayerNorms, the pixel-shuffle adapter and the projector"
            return try Result(tower: tower(layers, h, w, gated: false, bias: true, sum), note: note)

        default:
            let pixtralLike = visionType.contains("pixtral")
            return try Result(tower: tower(layers, h, w, gated: pixtralLike, bias: !pixtralLike, sum),
                              note: "vision tower '\(visionType)' counted from its block dims only (patch/position embeddings and projector not included)")
        }
    }

    static func tower(_ layers: Int64, _ h: Int64, _ w: Int64, gated: Bool, bias: Bool, _ sum: Sum) throws -> Model.VisionTower {
        guard sum.total <= maxExtraParams else { throw ModelFileError.tooLarge(what: "vision parameters outside the blocks", value: sum.total, limit: maxExtraParams) }
        return Model.VisionTower(layers: layers, hiddenSize: h, intermediateSize: w, gatedMLP: gated, bias: bias, extraParams: sum.total)
    }

    /// Products of dims, summed with overflow checks: a hostile config is an error, not a trap.
    struct Sum {
        var total: Int64 = 0
        mutating func add(_ factors: Int64...) throws {
            var p: Int64 = 1
            for f in factors { p = try Checked.mul(p, f, "vision parameter count") }
            total = try Checked.add(total, p, "vision parameter count")
        }
    }
}
