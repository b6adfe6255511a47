package dev.pier.protocol.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.pier.protocol.grpc.reflection.v1.ErrorResponse;
import dev.pier.protocol.grpc.reflection.v1.ExtensionNumberResponse;
import dev.pier.protocol.grpc.reflection.v1.FileDescriptorResponse;
import dev.pier.protocol.grpc.reflection.v1.ListServiceResponse;
import dev.pier.protocol.grpc.reflection.v1.ServerReflectionRequest;
import dev.pier.protocol.grpc.reflection.v1.ServerReflectionResponse;
import dev.pier.protocol.grpc.reflection.v1.ServiceResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * gRPC server reflection ({@code grpc.reflection.v1} and {@code grpc.reflection.v1alpha}, the same messages under
 * two names), so grpcurl, Postman and Kreya list and call Pier's services without .proto files. It answers from
 * the descriptors compiled into Pier: the services it is given, every file they import, and their symbols
 * (services, methods, messages, enums). Vert.x 5.0's own reflection module serves only v1 and only services
 * registered as {@code Service} objects, which Pier's handlers are not, hence this small one.
 * Immutable after construction; each call is a stream of independent requests, answered in order.
 */
public final class ReflectionGrpcService {
    public static final ServiceName V1 = ServiceName.create("grpc.reflection.v1", "ServerReflection");
    public static final ServiceName V1ALPHA = ServiceName.create("grpc.reflection.v1alpha", "ServerReflection");

    private final List<String> services;
    private final Map<String, FileDescriptor> files = new LinkedHashMap<>();
    private final Map<String, FileDescriptor> symbols = new LinkedHashMap<>();
    private final Map<String, Descriptor> messages = new LinkedHashMap<>();

    /** @param served the services to list, reflection's own included by this constructor */
    public ReflectionGrpcService(Collection<ServiceDescriptor> served) {
        List<ServiceDescriptor> all = new java.util.ArrayList<>(served);
        all.add(dev.pier.protocol.grpc.reflection.v1.ReflectionProto.getDescriptor()
                .findServiceByName("ServerReflection"));
        all.add(dev.pier.protocol.grpc.reflection.v1alpha.ReflectionProto.getDescriptor()
                .findServiceByName("ServerReflection"));
        services = all.stream().map(ServiceDescriptor::getFullName).distinct().toList();
        all.forEach(s -> index(s.getFile()));
    }

    /** Names of the services listed, in order. */
    public List<String> serviceNames() {
        return services;
    }

    public void bind(GrpcServer server) {
        for (ServiceName name : List.of(V1, V1ALPHA)) {
            // v1alpha's messages are v1's on the wire: one decoder and encoder serve both
            ServiceMethod<ServerReflectionRequest, ServerReflectionResponse> method = ServiceMethod.server(
                    name,
                    "ServerReflectionInfo",
                    GrpcMessageEncoder.encoder(),
                    GrpcMessageDecoder.decoder(ServerReflectionRequest.getDefaultInstance()));
            server.callHandler(method, (GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse> call) -> {
                call.handler(request -> call.response().write(answer(request)));
                call.endHandler(v -> call.response().end());
            });
        }
    }

    /** The answer to one reflection request. */
    ServerReflectionResponse answer(ServerReflectionRequest request) {
        ServerReflectionResponse.Builder b = ServerReflectionResponse.newBuilder()
                .setValidHost(request.getHost())
                .setOriginalRequest(request);
        switch (request.getMessageRequestCase()) {
            case LIST_SERVICES -> {
                ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
                services.forEach(
                        s -> list.addService(ServiceResponse.newBuilder().setName(s)));
                b.setListServicesResponse(list);
            }
            case FILE_BY_FILENAME -> {
                FileDescriptor f = files.get(request.getFileByFilename());
                if (f == null) {
                    return error(
                            b,
                            GrpcStatus.NOT_FOUND,
                            "no file '" + request.getFileByFilename() + "'; known: " + files.keySet());
                }
                b.setFileDescriptorResponse(withDependencies(f));
            }
            case FILE_CONTAINING_SYMBOL -> {
                FileDescriptor f = symbols.get(request.getFileContainingSymbol());
                if (f == null) {
                    return error(b, GrpcStatus.NOT_FOUND, "no symbol '" + request.getFileContainingSymbol() + "'");
                }
                b.setFileDescriptorResponse(withDependencies(f));
            }
            case FILE_CONTAINING_EXTENSION -> {
                return error(
                        b,
                        GrpcStatus.NOT_FOUND,
                        "no extension " + request.getFileContainingExtension().getExtensionNumber() + " of '"
                                + request.getFileContainingExtension().getContainingType()
                                + "': Pier's protos declare none");
            }
            case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
                String type = request.getAllExtensionNumbersOfType();
                if (!messages.containsKey(type)) {
                    return error(b, GrpcStatus.NOT_FOUND, "no message type '" + type + "'");
                }
                b.setAllExtensionNumbersResponse(
                        ExtensionNumberResponse.newBuilder().setBaseTypeName(type));
            }
            case MESSAGEREQUEST_NOT_SET -> {
                return error(
                        b,
                        GrpcStatus.INVALID_ARGUMENT,
                        "the request names nothing to look up; set one of"
                                + " list_services, file_by_filename, file_containing_symbol, file_containing_extension,"
                                + " all_extension_numbers_of_type");
            }
        }
        return b.build();
    }

    private static ServerReflectionResponse error(
            ServerReflectionResponse.Builder b, GrpcStatus status, String message) {
        return b.setErrorResponse(
                        ErrorResponse.newBuilder().setErrorCode(status.code).setErrorMessage(message))
                .build();
    }

    /** The file and every file it imports, transitively, each once (what grpcurl needs to build its types). */
    private static FileDescriptorResponse withDependencies(FileDescriptor root) {
        FileDescriptorResponse.Builder b = FileDescriptorResponse.newBuilder();
        Set<String> seen = new LinkedHashSet<>();
        Deque<FileDescriptor> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            FileDescriptor f = todo.poll();
            if (seen.add(f.getName())) {
                b.addFileDescriptorProto(f.toProto().toByteString());
                todo.addAll(f.getDependencies());
            }
        }
        return b.build();
    }

    private void index(FileDescriptor file) {
        if (files.putIfAbsent(file.getName(), file) != null) {
            return;
        }
        for (ServiceDescriptor s : file.getServices()) {
            symbols.put(s.getFullName(), file);
            for (MethodDescriptor m : s.getMethods()) {
                symbols.put(m.getFullName(), file);
            }
        }
        file.getMessageTypes().forEach(m -> index(file, m));
        for (EnumDescriptor e : file.getEnumTypes()) {
            symbols.put(e.getFullName(), file);
        }
        file.getDependencies().forEach(this::index);
    }

    private void index(FileDescriptor file, Descriptor message) {
        symbols.put(message.getFullName(), file);
        messages.put(message.getFullName(), message);
        message.getNestedTypes().forEach(n -> index(file, n));
        message.getEnumTypes().forEach(e -> symbols.put(e.getFullName(), file));
    }
}
