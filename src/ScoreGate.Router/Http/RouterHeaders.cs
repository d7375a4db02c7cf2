namespace ScoreGate.Router.Http;

/// <summary>Header names of the scoring contract (DESIGN.md §4).</summary>
public static class RouterHeaders
{
    public const string RequestId = "x-request-id";
    public const string MsRequestId = "x-ms-request-id";
    public const string MsClientRequestId = "x-ms-client-request-id";

    /// <summary>Request: pins one deployment. Response: names the deployment that answered.</summary>
    public const string ModelDeployment = "azureml-model-deployment";

    /// <summary>Response, with a model error (424): the status the model answered with.</summary>
    public const string ModelErrorStatusCode = "ms-azureml-model-error-statuscode";

    /// <summary>Response, with a model error (424): the model's reason phrase.</summary>
    public const string ModelErrorReason = "ms-azureml-model-error-reason";

    public const string StrictTransportSecurity = "Strict-Transport-Security";

    /// <summary>One year, without includeSubDomains: the router cannot speak for sibling hosts.</summary>
    public const string StrictTransportSecurityValue = "max-age=31536000";
}
